/**
 * Read routing (issue 21 §3) without a standby: every read, lag-tolerant or not, goes to the one
 * database, as before DATABASE_READ_URL existed; and which requests count as "just wrote".
 */
import { describe, expect, it, vi } from 'vitest';
import { routeEvent } from '../support/route-event';

const opened = vi.hoisted(() => ({ db: { name: 'the one database' }, replicas: 0 }));
vi.mock('../../src/lib/server/db/client', () => ({
	openDatabase: async () => ({ db: opened.db, kind: 'pglite', migrate: async () => {}, close: async () => {} }),
	openReadReplica: () => {
		opened.replicas++;
		return { db: {}, close: async () => {} };
	}
}));

describe('without DATABASE_READ_URL', () => {
	it('serves lag-tolerant reads from the one database and opens no replica', async () => {
		delete process.env.DATABASE_READ_URL;
		const { getReadDb } = await import('../../src/lib/server/db');
		const { readDb } = await import('../../src/lib/server/http/read-your-writes');
		expect(await getReadDb(false)).toBe(opened.db);
		expect(await readDb(routeEvent('/stats'))).toBe(opened.db);
		expect(opened.replicas).toBe(0);
	});
});

describe('the cookie of a recent write', () => {
	it('is left by a request that may write, not by a read', async () => {
		const { handleReadYourWrites, WROTE_COOKIE, READ_YOUR_WRITES_SECONDS } = await import('../../src/lib/server/http/read-your-writes');
		const resolve = async () => new Response('');
		const read = new Map<string, string>();
		await handleReadYourWrites({ event: routeEvent('/stats', { cookies: read }), resolve } as never);
		expect(read.has(WROTE_COOKIE)).toBe(false);
		const wrote = new Map<string, string>();
		await handleReadYourWrites({ event: routeEvent('/stats/clusters?/confirm', { form: { a: 'b' }, cookies: wrote }), resolve } as never);
		expect(wrote.get(WROTE_COOKIE)).toBe('1');
		expect(READ_YOUR_WRITES_SECONDS).toBeGreaterThanOrEqual(5);
	});
});
