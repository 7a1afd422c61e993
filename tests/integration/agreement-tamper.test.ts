import type { RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import type { Db } from '../../src/lib/server/db';
import { agreements, agreementTerms } from '../../src/lib/server/db/schema';
import * as agreementPage from '../../src/routes/(app)/cases/[id=id]/agreement/+page.server';
import { draftAgreement } from './agreement-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The staff agreement page holds the stored terms to the frozen hash: a term edited in the database
 * after freezing is flagged, not shown as in force.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

let w: PanelWorld;
const now = new Date();
beforeAll(async () => {
	w = await setUpPanelWorld();
	database.db = w.t.db;
	await draftAgreement(w, now);
}, 180_000);
afterAll(() => w.t.destroy());

const load = agreementPage.load as unknown as (e: RequestEvent) => unknown;
const page = async () =>
	(await routeOutcome(() => load(routeEvent(`/cases/${w.caseId}/agreement`, { user: w.viewers.mediator, params: { id: String(w.caseId) } })))) as {
		tampered: boolean;
		agreement: { status: string };
	};

describe('the agreement page against its frozen hash', () => {
	it('a draft is not flagged; a frozen agreement as stored is not flagged', async () => {
		expect((await page()).tampered).toBe(false);
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now });
		const frozen = await page();
		expect(frozen.agreement.status).toBe('frozen');
		expect(frozen.tampered).toBe(false);
	});

	it('a stored term edited after freezing is flagged', async () => {
		const [agreement] = await w.t.db.select({ id: agreements.id }).from(agreements).where(eq(agreements.caseId, w.caseId));
		const [term] = await w.t.db.select().from(agreementTerms).where(eq(agreementTerms.agreementId, agreement.id)).limit(1);
		await w.t.db.update(agreementTerms).set({ amountFen: (term.amountFen ?? 0) + 100_000_00 }).where(eq(agreementTerms.id, term.id));
		expect((await page()).tampered).toBe(true);
		await w.t.db.update(agreementTerms).set({ amountFen: term.amountFen }).where(eq(agreementTerms.id, term.id));
		expect((await page()).tampered).toBe(false);
		await w.t.db.update(agreements).set({ facts: '改过的事实' }).where(eq(agreements.id, agreement.id));
		expect((await page()).tampered).toBe(true);
	});
});
