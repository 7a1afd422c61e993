import type { RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import type { Db } from '../../src/lib/server/db';
import { agreements, agreementTerms, caseParties } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import * as agreementPage from '../../src/routes/(app)/cases/[id=id]/agreement/+page.server';
import * as signaturePng from '../../src/routes/(app)/cases/[id=id]/agreement/signatures/[signatureId=id]/+server';
import * as signPage from '../../src/routes/(public)/sign/[token]/+page.server';
import { draftAgreement, invite, pngDataUrl } from './agreement-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The agreement pages through their real load, action and endpoint functions: each guards itself
 * (signed out → login; outside the case's scope → 404; without the power → 403), refused input comes
 * back to the form with its values, and a signature on a stale hash is a 409 with the message to read
 * the agreement again.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

let w: PanelWorld;
const now = new Date();
beforeAll(async () => {
	w = await setUpPanelWorld();
	database.db = w.t.db;
	await w.t.db.update(caseParties).set({ userId: null }).where(eq(caseParties.id, w.partyIds.respondent));
	await draftAgreement(w, now);
}, 180_000);
afterAll(() => w.t.destroy());

function event(user: Viewer | null, method: 'GET' | 'POST', form: Record<string, string> | null = null, params: Record<string, string> = { id: String(w.caseId) }): RequestEvent {
	return routeEvent(`/cases/${params.id ?? 'x'}/agreement`, { user, method, form, params });
}
const outcomeOf = routeOutcome;

type Handler = (e: RequestEvent) => unknown;
const load = agreementPage.load as unknown as Handler;
const action = (name: string) => agreementPage.actions[name] as unknown as Handler;

describe('the agreement page', () => {
	it('is 404 outside the case’s scope, 403 for a reader’s edits, login (or 401) when signed out', async () => {
		expect(await outcomeOf(() => load(event(null, 'GET')))).toMatch(/^redirect \/login/);
		expect(await outcomeOf(() => load(event(w.viewers['qiujin.villager'], 'GET')))).toBe(404);
		expect(await outcomeOf(() => load(event(w.viewers.mediator, 'GET', null, { id: '99999999' })))).toBe(404);
		const seen = (await outcomeOf(() => load(event(w.viewers.party, 'GET')))) as { agreement: { status: string } };
		expect(seen.agreement.status).toBe('draft');
		// A party reads and may not edit or freeze; the form is not read first.
		expect(await outcomeOf(() => action('text')(event(w.viewers.party, 'POST', { facts: '改' })))).toBe(403);
		expect(await outcomeOf(() => action('freeze')(event(w.viewers.party, 'POST', {})))).toBe(403);
		expect(await outcomeOf(() => action('freeze')(event(w.viewers['qiujin.villager'], 'POST', {})))).toBe(404);
		expect(await outcomeOf(() => action('freeze')(event(null, 'POST', {})))).toBe(401);
	});

	it('finalises only with the confirmation ticked, and says so without writing anything', async () => {
		expect(await outcomeOf(() => action('freeze')(event(w.viewers.mediator, 'POST', {})))).toMatchObject({
			status: 400,
			action: 'freeze',
			message: 'wd_err_confirm',
			fields: { confirm: 'wd_err_confirm' }
		});
		const [a] = await w.t.db.select({ status: agreements.status }).from(agreements).where(eq(agreements.caseId, w.caseId));
		expect(a.status).toBe('draft');
	});

	it('refills a refused term with what was typed, with a clear message per field', async () => {
		const sent = { obligorPartyId: String(w.partyIds.respondent), what: '赔偿', amount: '-5', how: '转账', dueOn: '2020-01-01' };
		const result = (await outcomeOf(() => action('term')(event(w.viewers.mediator, 'POST', sent))))! as Record<string, unknown>;
		expect(result).toMatchObject({ status: 400, fields: { amount: 'err_ag_amount_negative', dueOn: 'err_ag_due_past' }, values: sent });
		expect(await outcomeOf(() => action('term')(event(w.viewers.mediator, 'POST', { ...sent, what: '', amount: '1', dueOn: '' })))).toMatchObject({
			status: 400,
			fields: { what: 'err_ag_term_what_required' }
		});
		expect((await w.t.db.select().from(agreementTerms)).filter((t) => t.what === '赔偿')).toEqual([]);
	});

	it('answers a signature on a stale hash with 409 and the message to read again; a signature image needs the case in scope', async () => {
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now });
		const form = { partyId: String(w.partyIds.applicant), decision: 'sign', hash: '0'.repeat(64), mark: 'drawn', typedName: '孙大伯', signature: pngDataUrl() };
		const result = (await outcomeOf(() => action('sign')(event(w.viewers.party, 'POST', form)))) as Record<string, unknown>;
		expect(result).toMatchObject({ status: 409, message: 'err_sign_stale_hash' });
		// The image is not echoed back into the page.
		expect((result.values as Record<string, string>).signature).toBeUndefined();
		const get = signaturePng.GET as unknown as Handler;
		expect(await outcomeOf(() => get(event(w.viewers['qiujin.villager'], 'GET', null, { id: String(w.caseId), signatureId: '1' })))).toBe(404);
	});
});

describe('the signing link page', () => {
	it('is 404 for an unknown or malformed link, and asks for a code before showing the text', async () => {
		const signLoad = signPage.load as unknown as Handler;
		const headers: Record<string, string> = {};
		const setHeaders = (h: Record<string, string>) => Object.assign(headers, h);
		const at = (token: string) => ({ ...event(null, 'GET', null, { token }), url: new URL(`http://localhost/sign/${token}`), setHeaders }) as RequestEvent;
		expect(await outcomeOf(() => signLoad(at('b'.repeat(24))))).toBe(404);
		expect(await outcomeOf(() => signLoad(at('x')))).toBe(404);
		const token = await invite(w, w.partyIds.respondent, now);
		const page = (await outcomeOf(() => signLoad(at(token)))) as { view: { verified: boolean; text: string | null } };
		expect(page.view).toMatchObject({ verified: false, text: null });
		// Once a code is entered the page holds the agreement's text: no cache may keep it.
		expect(headers['cache-control']).toBe('no-store');
		const verify = signPage.actions.verify as unknown as Handler;
		const wrong = (await outcomeOf(() => verify({ ...event(null, 'POST', { code: '12345' }, { token }) } as RequestEvent))) as Record<string, unknown>;
		expect(wrong).toMatchObject({ status: 400, fields: { code: 'err_sign_code_wrong' } });
	});
});
