import type { RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { auditLog, caseEvents, panelOpinions } from '../../src/lib/server/db/schema';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { declareConflict } from '../../src/lib/server/mediation/panel/declare-conflict';
import type { Viewer } from '../../src/lib/types';
import * as casePage from '../../src/routes/(app)/cases/[id=id]/+page.server';
import * as page from '../../src/routes/(app)/cases/[id=id]/opinions/+page.server';
import { caseInMediation, setUpOutcomeWorld } from './outcome-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import type { PanelWorld } from './panel-fixtures';

/**
 * Panel opinions stay hidden until revealed: through the page's load, its actions and the case page,
 * nobody but the author reads an opinion's position or reasons before every expected member has
 * submitted or the mediator reveals them. Every entry point guards itself.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
beforeAll(async () => {
	w = await setUpOutcomeWorld();
	database.db = w.t.db;
}, 180_000);
afterAll(() => w.t.destroy());

const PANELIST_REASONS = '围墙位置以1998年宅基地证为准，李某应拆除越界部分。';
const VILLAGER_REASONS = '双方各让一步，围墙按现状保留，孙大伯补偿五百元。';

const ev = (user: Viewer | null, method: 'GET' | 'POST', form: Record<string, string> | null = null, id = String(w.caseId)) =>
	routeEvent(`/cases/${id}/opinions`, { user, method, form, params: { id } });
const load = (user: Viewer | null, id?: string) => routeOutcome(() => (page.load as Handler)(ev(user, 'GET', null, id)));
const submit = (user: Viewer | null, form: Record<string, string>, id?: string) => routeOutcome(() => (page.actions.submit as Handler)(ev(user, 'POST', form, id)));
const reveal = (user: Viewer | null, id?: string) => routeOutcome(() => (page.actions.reveal as Handler)(ev(user, 'POST', {}, id)));

describe('panel opinions', () => {
	it('guard every entry point: signed out, outside the scope, unknown case, not a member', async () => {
		expect(await load(null)).toBe(`redirect /login?next=%2Fcases%2F${w.caseId}%2Fopinions`);
		expect(await routeOutcome(() => (page.actions.submit as Handler)(ev(null, 'POST')))).toBe(401);
		expect(await routeOutcome(() => (page.actions.reveal as Handler)(ev(null, 'POST')))).toBe(401);
		const outsider = w.viewers['qiujin.villager'];
		expect(await load(outsider)).toBe(404);
		expect(await submit(outsider, { position: 'compromise', reasons: 'x' })).toBe(404);
		expect(await reveal(outsider)).toBe(404);
		expect(await load(w.viewers.mediator, '999999')).toBe(404);
		// The party sees the case but is not on the panel, and does not run the mediation.
		expect(await submit(w.viewers.party, { position: 'compromise', reasons: '我同意' })).toBe(403);
		expect(await reveal(w.viewers.party)).toBe(403);
		expect(await reveal(w.viewers.panelist)).toBe(403);
	});

	it('refuse bad input with field errors and keep what was typed', async () => {
		expect(await submit(w.viewers.panelist, { position: '', reasons: '  ' })).toEqual({
			status: 400,
			action: 'submit',
			message: 'err_form',
			fields: { position: 'err_op_position_required', reasons: 'err_op_reasons_required' },
			values: { position: '', reasons: '  ' }
		});
		expect(await submit(w.viewers.panelist, { position: 'compromise', reasons: '理'.repeat(2001) })).toMatchObject({ status: 400, fields: { reasons: 'err_too_long' } });
		expect(await submit(w.viewers.panelist, { position: 'wins', reasons: '理由' })).toMatchObject({ status: 400, fields: { position: 'err_op_position_required' } });
		// The adviser has not declared a conflict of interest yet.
		expect(await submit(w.viewers.advisor, { position: 'compromise', reasons: '理由' })).toMatchObject({ status: 409, message: 'err_op_declare_first' });
		expect(await w.t.db.select().from(panelOpinions)).toEqual([]);
	});

	it('before the reveal, show nobody else’s opinion: not other panelists, not the mediator, not the parties', async () => {
		expect(await submit(w.viewers.panelist, { position: 'supports_applicant', reasons: PANELIST_REASONS })).toEqual({ action: 'submit', done: 'op_submitted_done' });
		const villagerSubmit = await submit(w.viewers.villager, { position: 'compromise', reasons: VILLAGER_REASONS });
		expect(villagerSubmit).toEqual({ action: 'submit', done: 'op_submitted_done' });

		// The author reads their own opinion only.
		const own = (await load(w.viewers.panelist)) as { view: Record<string, unknown> };
		expect(own.view).toMatchObject({ revealedAt: null, opinions: [], mine: { position: 'supports_applicant', reasons: PANELIST_REASONS }, mayGive: true });
		expect(JSON.stringify(own)).not.toContain(VILLAGER_REASONS);
		const villager = (await load(w.viewers.villager)) as { view: Record<string, unknown> };
		expect(JSON.stringify(villager)).not.toContain(PANELIST_REASONS);
		expect(JSON.stringify(villager)).not.toContain('supports_applicant');

		// The mediator sees who is missing, not what anyone said.
		const mediator = (await load(w.viewers.mediator)) as { view: { seats: { name: string; submitted: boolean }[]; mayReveal: boolean; opinions: unknown[]; mine: unknown } };
		expect(mediator.view.seats.map((s) => s.submitted)).toEqual([true, true, false]);
		expect(mediator.view).toMatchObject({ mayReveal: true, opinions: [], mine: null });
		for (const text of [PANELIST_REASONS, VILLAGER_REASONS, 'supports_applicant', 'compromise']) expect(JSON.stringify(mediator)).not.toContain(text);

		// The party sees neither the opinions nor who has submitted.
		const party = (await load(w.viewers.party)) as { view: Record<string, unknown> };
		expect(party.view).toMatchObject({ opinions: [], mine: null, seats: null, mayGive: false, mayReveal: false });
		expect(JSON.stringify(party)).not.toContain(PANELIST_REASONS);

		// The case page and the timeline carry no content either.
		const caseData = await routeOutcome(() => (casePage.load as Handler)(routeEvent(`/cases/${w.caseId}`, { user: w.viewers.mediator, params: { id: String(w.caseId) } })));
		expect(caseData).toHaveProperty('detail');
		expect(JSON.stringify(caseData)).not.toContain(PANELIST_REASONS);
		const events = await w.t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, w.caseId), eq(caseEvents.kind, 'opinion_submit')));
		expect(events).toHaveLength(2);
		expect(JSON.stringify(events)).not.toMatch(/supports_applicant|compromise|宅基地证/);
		const audit = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'opinion.submit'));
		expect(audit.map((a) => a.data)).toEqual([expect.objectContaining({ revised: false }), expect.objectContaining({ revised: false })]);
		expect(JSON.stringify(audit)).not.toMatch(/supports_applicant|compromise|宅基地证/);
	});

	it('a refused revision hands back only what its author typed', async () => {
		const refused = await submit(w.viewers.villager, { position: 'compromise', reasons: '' });
		expect(refused).toMatchObject({ status: 400, values: { position: 'compromise', reasons: '' } });
		expect(JSON.stringify(refused)).not.toContain(PANELIST_REASONS);
		expect(await submit(w.viewers.villager, { position: 'abstains', reasons: VILLAGER_REASONS })).toEqual({ action: 'submit', done: 'op_submitted_done' });
		const [row] = await w.t.db.select().from(panelOpinions).where(eq(panelOpinions.userId, w.viewers.villager.id));
		expect(row.position).toBe('abstains');
	});

	it('the mediator’s reveal shows every opinion to everyone who sees the case and closes the round', async () => {
		expect(await reveal(w.viewers.mediator)).toEqual({ action: 'reveal', done: 'op_revealed_done' });
		for (const who of [w.viewers.panelist, w.viewers.villager, w.viewers.party, w.viewers.mediator]) {
			const data = (await load(who)) as { view: { opinions: { reasons: string; position: string }[]; revealedByMediator: boolean } };
			expect(data.view.revealedByMediator).toBe(true);
			expect(data.view.opinions.map((o) => [o.position, o.reasons])).toEqual([
				['supports_applicant', PANELIST_REASONS],
				['abstains', VILLAGER_REASONS]
			]);
		}
		expect(await submit(w.viewers.panelist, { position: 'compromise', reasons: '改主意了' })).toMatchObject({ status: 409, message: 'err_op_revealed' });
		expect(await reveal(w.viewers.mediator)).toMatchObject({ status: 409, message: 'err_op_revealed' });
		expect(await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'opinion.reveal'))).toEqual([expect.objectContaining({ data: { how: 'mediator', opinions: 2 } })]);
	});

	it('the last expected opinion reveals them all; a recused member is not waited for', async () => {
		const caseId = await caseInMediation(w);
		const id = String(caseId);
		const { mediator, panelist, villager } = w.viewers;
		for (const [who, memberType] of [
			[panelist, 'veteran_party_member'],
			[villager, 'legal_villager']
		] as const) {
			await inviteMember(w.t.db, mediator, caseId, { userId: String(who.id), memberType, partiesConsent: '双方同意' });
		}
		await declareConflict(w.t.db, panelist, caseId, { declaration: 'no_conflict' });
		expect(await reveal(mediator, id)).toMatchObject({ status: 409, message: 'err_op_none_to_reveal' });
		expect(await submit(panelist, { position: 'supports_respondent', reasons: '理由充分' }, id)).toEqual({ action: 'submit', done: 'op_submitted_done' });
		expect(((await load(villager, id)) as { view: { revealedAt: unknown } }).view.revealedAt).toBeNull();
		await declareConflict(w.t.db, villager, caseId, { declaration: 'recused', note: '与被申请人是亲戚' });
		// The recusal leaves nobody missing, but a reveal happens only at a submission or by the mediator.
		expect(await submit(panelist, { position: 'supports_respondent', reasons: '理由充分，补充一句' }, id)).toEqual({ action: 'submit', done: 'op_submitted_done' });
		const seen = (await load(w.viewers.party, id)) as { view: { revealedAt: Date | null; revealedByMediator: boolean; opinions: { reasons: string }[] } };
		expect(seen.view.revealedAt).not.toBeNull();
		expect(seen.view).toMatchObject({ revealedByMediator: false, opinions: [{ reasons: '理由充分，补充一句' }] });
	});
});
