import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { appMetrics } from '../../src/lib/server/health/metrics';
import { readiness } from '../../src/lib/server/health/readiness';
import * as healthz from '../../src/routes/healthz/+server';
import * as metrics from '../../src/routes/metrics/+server';
import * as readyz from '../../src/routes/readyz/+server';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { routeEvent } from '../support/route-event';

/** The operator's endpoints: liveness, readiness against the real database, and Prometheus metrics. */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	database.db = t.db;
}, 120_000);
afterAll(() => t.destroy());

type Handler = (e: RequestEvent) => Promise<Response> | Response;
function event(path: string, address = '127.0.0.1', headers: Record<string, string> = {}): RequestEvent {
	return routeEvent(path, { ip: address, headers });
}
async function status(run: () => Promise<Response> | Response): Promise<number> {
	try {
		return (await run()).status;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		throw err;
	}
}

describe('health and metrics', () => {
	it('answers liveness without touching anything', async () => {
		const response = await (healthz.GET as unknown as Handler)(event('/healthz'));
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('ok\n');
	});

	it('is ready when the database answers, and says which check failed when it does not', async () => {
		const response = await (readyz.GET as unknown as Handler)(event('/readyz'));
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ ready: true, checks: { database: { ok: true } } });
		const failing = await readiness(async () => {
			throw new Error('connection refused');
		});
		expect(failing).toMatchObject({ ready: false, checks: { database: { ok: false, error: 'connection refused' } } });
		// A database that never answers is not ready either: the check gives up after its time limit.
		const hung = await readiness(async () => ({ execute: () => new Promise(() => {}) }) as unknown as Db, { timeoutMs: 50 });
		expect(hung).toMatchObject({ ready: false, checks: { database: { ok: false, error: 'no answer within 50 ms' } } });
	});

	it('serves Prometheus metrics to this machine only', async () => {
		appMetrics().storeErrors.inc();
		appMetrics().collab.updateIn();
		appMetrics().collab.updatesOut(3);
		appMetrics().collab.savedAck(12);
		const response = await (metrics.GET as unknown as Handler)(event('/metrics'));
		expect(response.status).toBe(200);
		const body = await response.text();
		expect(body).toContain('pingli_collab_documents 0');
		expect(body).toContain('pingli_collab_connections 0');
		expect(body).toMatch(/pingli_collab_store_errors_total [1-9]/);
		expect(body).toContain('pingli_process_resident_memory_bytes');
		expect(body).toMatch(/pingli_collab_updates_in_total [1-9]/);
		expect(body).toMatch(/pingli_collab_updates_out_total [3-9]/);
		expect(body).toContain('pingli_collab_saved_ack_seconds_bucket{le="0.025"} 1');
		expect(await status(() => (metrics.GET as unknown as Handler)(event('/metrics', '203.0.113.9')))).toBe(403);
		expect(await status(() => (metrics.GET as unknown as Handler)(event('/metrics', '10.0.0.8', { authorization: 'Bearer guessed-token-guessed' })))).toBe(403);
	});
});
