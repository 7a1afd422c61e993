import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVisibleCase } from '../../src/lib/server/cases/work/case-snapshot';
import { auditLog, caseEvents, mediationSessions, mediatorAcceptances, panelMembers } from '../../src/lib/server/db/schema';
import { recordDocName, recordDocumentAccess } from '../../src/lib/server/mediation/document-access';
import { declareConflict } from '../../src/lib/server/mediation/panel/declare-conflict';
import { getPanel } from '../../src/lib/server/mediation/panel/get-panel';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { recordAcceptance } from '../../src/lib/server/mediation/panel/record-acceptance';
import { removeMember } from '../../src/lib/server/mediation/panel/remove-member';
import { outcome } from './casework-fixtures';
import { fileTubuCase, inHours, mediationCounts, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
let sessionId: number;
beforeAll(async () => {
	w = await setUpPanelWorld();
	// A session whose record the members' access is checked against.
	const [session] = await w.t.db
		.insert(mediationSessions)
		.values({ caseId: w.caseId, seq: 1, scheduledAt: inHours(2), location: '城南村调解室', createdById: w.viewers.mediator.id })
		.returning({ id: mediationSessions.id });
	sessionId = session.id;
}, 180_000);
afterAll(() => w.t.destroy());

const CONSENT = '双方当事人当面口头同意';
const invite = (who: string, userId: number, memberType: string, partiesConsent: unknown = CONSENT, caseId = w.caseId) =>
	inviteMember(w.t.db, w.viewers[who], caseId, { userId, memberType, partiesConsent }, { ip: '10.0.0.9' });
const member = async (userId: number) => {
	const [row] = await w.t.db.select().from(panelMembers).where(and(eq(panelMembers.caseId, w.caseId), eq(panelMembers.userId, userId)));
	return row;
};
const record = (who: string) => recordDocumentAccess(w.t.db, w.viewers[who], recordDocName(sessionId));

describe('inviting (人民调解法 art. 20)', () => {
	it('refuses an invitation without the parties’ consent, or with an overlong one, and writes nothing', async () => {
		const qiujin = w.viewers['qiujin.villager'].id;
		const before = await mediationCounts(w);
		expect(await outcome(invite('mediator', qiujin, 'legal_villager', ''))).toEqual({ code: 'invalid', partiesConsent: 'err_pn_consent_required' });
		expect(await outcome(invite('mediator', qiujin, 'legal_villager', '   '))).toEqual({ code: 'invalid', partiesConsent: 'err_pn_consent_required' });
		const noConsent = inviteMember(w.t.db, w.viewers.mediator, w.caseId, { userId: qiujin, memberType: 'legal_villager' });
		expect(await outcome(noConsent)).toEqual({ code: 'invalid', partiesConsent: 'err_pn_consent_required' });
		expect(await outcome(invite('mediator', qiujin, 'legal_villager', '同'.repeat(301)))).toEqual({ code: 'invalid', partiesConsent: 'err_too_long' });
		expect(await outcome(invite('mediator', qiujin, 'astrologer'))).toEqual({ code: 'invalid', memberType: 'err_pn_type_required' });
		expect(await mediationCounts(w)).toEqual(before);
	});

	it('keeps a villager of another township out until invited: not found, and no panel powers', async () => {
		const out = w.viewers['qiujin.villager'];
		expect(await outcome(getPanel(w.t.db, out, w.caseId))).toBe('not_found');
		expect(await outcome(invite('qiujin.villager', out.id, 'legal_villager'))).toBe('not_found');
		expect(await outcome(declareConflict(w.t.db, out, w.caseId, { declaration: 'no_conflict' }))).toBe('not_found');
		expect(await record('qiujin.villager')).toBeNull();
	});

	it('draws on the whole county: the pool lists people from other townships, by type, never the case’s own parties', async () => {
		const panel = await getPanel(w.t.db, w.viewers.mediator, w.caseId);
		const qiujin = panel.pool!.find((p) => p.userId === w.viewers['qiujin.villager'].id);
		expect(qiujin).toMatchObject({ name: w.viewers['qiujin.villager'].name, memberType: 'legal_villager', placeTrail: ['虬津镇', '虬津村'] });
		expect(panel.pool!.map((p) => p.memberType)).toEqual(expect.arrayContaining(['legal_advisor', 'legal_villager', 'veteran_party_member']));
		expect(panel.pool!.some((p) => p.userId === w.viewers.party.id || p.userId === w.viewers.agent.id)).toBe(false);
		const lawyers = await getPanel(w.t.db, w.viewers.mediator, w.caseId, { memberType: 'veteran_party_member' });
		expect(lawyers.pool!.map((p) => p.userId)).toEqual([w.viewers.panelist.id]);
		// Only whoever runs the mediation gets the pool (it names people across the county).
		expect((await getPanel(w.t.db, w.viewers.party, w.caseId)).pool).toBeNull();
	});

	it('invites someone from another township, who then sees the case and reads its record', async () => {
		const qiujin = w.viewers['qiujin.villager'];
		const before = await mediationCounts(w);
		const { memberId } = await invite('mediator', qiujin.id, 'legal_villager');
		expect(await member(qiujin.id)).toMatchObject({ id: memberId, memberType: 'legal_villager', partiesConsent: CONSENT, conflict: 'pending', invitedById: w.viewers.mediator.id, removedAt: null });
		expect(await mediationCounts(w)).toMatchObject({ members: before.members + 1, events: before.events + 1, audit: before.audit + 1 });
		const [event] = await w.t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, w.caseId), eq(caseEvents.kind, 'panel_invite')));
		expect(event).toMatchObject({ public: false, note: CONSENT, actorId: w.viewers.mediator.id });
		const [audit] = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'panel.invite'));
		expect(audit).toMatchObject({ subjectType: 'case', subjectId: String(w.caseId), ip: '10.0.0.9' });
		expect(audit.data).toMatchObject({ memberId, userId: qiujin.id, partiesConsent: CONSENT });

		expect((await loadVisibleCase(w.t.db, qiujin, w.caseId)).id).toBe(w.caseId);
		const panel = await getPanel(w.t.db, qiujin, w.caseId);
		expect(panel).toMatchObject({ mayRun: false, me: { memberId, conflict: 'pending' }, pool: null });
		expect(panel.members[0]).toMatchObject({ name: qiujin.name, placeTrail: ['虬津镇', '虬津村'], partiesConsent: CONSENT });
		// Undeclared: reads the record, may not yet write it.
		expect(await record('qiujin.villager')).toBe('read');
		// Not invited twice, and no longer offered in the pool.
		expect(await outcome(invite('mediator', qiujin.id, 'legal_villager'))).toEqual({ code: 'conflict', userId: 'err_pn_already_member' });
		expect((await getPanel(w.t.db, w.viewers.mediator, w.caseId)).pool!.some((p) => p.userId === qiujin.id)).toBe(false);
	});

	it('refuses invitees outside the pool: a type they are not, an agent, a party of the case', async () => {
		const before = await mediationCounts(w);
		expect(await outcome(invite('mediator', w.viewers.panelist.id, 'lawyer'))).toEqual({ code: 'invalid', userId: 'err_pn_invitee_invalid' });
		expect(await outcome(invite('mediator', w.viewers.agent.id, 'legal_villager'))).toEqual({ code: 'invalid', userId: 'err_pn_invitee_invalid' });
		expect(await outcome(invite('mediator', w.viewers.party.id, 'legal_villager'))).toEqual({ code: 'invalid', userId: 'err_pn_invitee_invalid' });
		expect(await mediationCounts(w)).toEqual(before);
	});

	it('lets a township supervisor form the panel, but not a panel member, a party, or a mediator of another township', async () => {
		const panelist = w.viewers.panelist;
		await invite('tubu.supervisor', panelist.id, 'veteran_party_member');
		const before = await mediationCounts(w);
		// The panelist now sees the case (so: forbidden, not not-found) but may not invite or remove.
		expect(await outcome(invite('panelist', w.viewers.advisor.id, 'legal_advisor'))).toBe('forbidden');
		expect(await outcome(invite('party', w.viewers.advisor.id, 'legal_advisor'))).toBe('forbidden');
		const { id } = await member(panelist.id);
		expect(await outcome(removeMember(w.t.db, w.viewers['qiujin.villager'], w.caseId, { memberId: id, reason: '不合适' }))).toBe('forbidden');
		expect(await outcome(invite('aicheng.mediator', w.viewers.advisor.id, 'legal_advisor'))).toBe('not_found');
		expect(await mediationCounts(w)).toEqual(before);
	});
});

describe('declarations of conflict of interest', () => {
	it('lets a member declare no conflict (then they co-edit the record), once', async () => {
		const before = await mediationCounts(w);
		await declareConflict(w.t.db, w.viewers['qiujin.villager'], w.caseId, { declaration: 'no_conflict', note: '' });
		expect(await member(w.viewers['qiujin.villager'].id)).toMatchObject({ conflict: 'no_conflict', conflictNote: null, declaredAt: expect.any(Date) });
		expect(await mediationCounts(w)).toMatchObject({ events: before.events + 1, audit: before.audit + 1 });
		expect(await record('qiujin.villager')).toBe('write');
		expect(await outcome(declareConflict(w.t.db, w.viewers['qiujin.villager'], w.caseId, { declaration: 'no_conflict' }))).toEqual({ code: 'conflict', _: 'err_pn_already_declared' });
	});

	it('declares only for oneself: the mediator and the parties have no seat to declare for', async () => {
		expect(await outcome(declareConflict(w.t.db, w.viewers.mediator, w.caseId, { declaration: 'no_conflict' }))).toBe('forbidden');
		expect(await outcome(declareConflict(w.t.db, w.viewers.party, w.caseId, { declaration: 'recused', note: 'x' }))).toBe('forbidden');
	});

	it('requires a reason to recuse; a recused member keeps the case but loses the record, for good', async () => {
		const panelist = w.viewers.panelist;
		const before = await mediationCounts(w);
		expect(await outcome(declareConflict(w.t.db, panelist, w.caseId, { declaration: 'recused', note: ' ' }))).toEqual({ code: 'invalid', note: 'err_pn_recuse_note_required' });
		expect(await outcome(declareConflict(w.t.db, panelist, w.caseId, { declaration: 'maybe' }))).toEqual({ code: 'invalid', declaration: 'err_pn_declaration_required' });
		expect(await mediationCounts(w)).toEqual(before);
		await declareConflict(w.t.db, panelist, w.caseId, { declaration: 'recused', note: '与申请人系表亲' });
		expect(await member(panelist.id)).toMatchObject({ conflict: 'recused', conflictNote: '与申请人系表亲' });
		expect(await record('panelist')).toBeNull();
		expect((await getPanel(w.t.db, panelist, w.caseId)).me).toMatchObject({ conflict: 'recused' });
		expect(await outcome(declareConflict(w.t.db, panelist, w.caseId, { declaration: 'no_conflict' }))).toEqual({ code: 'conflict', _: 'err_pn_already_declared' });
	});
});

describe('removal', () => {
	it('needs a reason, then sets removed_at: the member loses the record and the case', async () => {
		const qiujin = w.viewers['qiujin.villager'];
		const { id } = await member(qiujin.id);
		const before = await mediationCounts(w);
		expect(await outcome(removeMember(w.t.db, w.viewers.mediator, w.caseId, { memberId: id, reason: '' }))).toEqual({ code: 'invalid', reason: 'err_pn_reason_required' });
		expect(await mediationCounts(w)).toEqual(before);

		await removeMember(w.t.db, w.viewers.mediator, w.caseId, { memberId: id, reason: '当事人后来反对' }, { ip: '10.0.0.9' });
		expect(await member(qiujin.id)).toMatchObject({ removedAt: expect.any(Date), removedReason: '当事人后来反对' });
		expect(await record('qiujin.villager')).toBeNull();
		expect(await outcome(getPanel(w.t.db, qiujin, w.caseId))).toBe('not_found');
		expect(await outcome(removeMember(w.t.db, w.viewers.mediator, w.caseId, { memberId: id, reason: '再次' }))).toEqual({ code: 'conflict', _: 'err_pn_already_removed' });
		// The mediator still sees the removed member, after the sitting ones.
		const panel = await getPanel(w.t.db, w.viewers.mediator, w.caseId);
		expect(panel.members.at(-1)).toMatchObject({ userId: qiujin.id, removedReason: '当事人后来反对' });
	});

	it('finds no member of another case through this one', async () => {
		const other = await fileTubuCase(w);
		const { id } = await member(w.viewers.panelist.id);
		expect(await outcome(removeMember(w.t.db, w.viewers.mediator, other, { memberId: id, reason: '误操作' }))).toBe('not_found');
	});

	it('may invite a removed member again, as a fresh undeclared invitation', async () => {
		const qiujin = w.viewers['qiujin.villager'];
		await invite('mediator', qiujin.id, 'legal_villager', '双方当事人书面同意');
		expect(await member(qiujin.id)).toMatchObject({ removedAt: null, removedReason: null, conflict: 'pending', partiesConsent: '双方当事人书面同意' });
		expect(await record('qiujin.villager')).toBe('read');
	});
});

describe('acceptance of the mediator (art. 23)', () => {
	it('records each party’s statement about the mediator, a refusal with its reason', async () => {
		const other = await fileTubuCase(w);
		const before = await mediationCounts(w);
		const accept = (who: string, raw: Record<string, unknown>) => recordAcceptance(w.t.db, w.viewers[who], w.caseId, raw, { ip: '10.0.0.9' });
		expect(await outcome(accept('mediator', { partyId: w.partyIds.respondent, accepted: 'no', note: '' }))).toEqual({ code: 'invalid', note: 'err_pn_refusal_note_required' });
		expect(await outcome(accept('mediator', { partyId: w.partyIds.respondent }))).toEqual({ code: 'invalid', accepted: 'err_pn_accepted_required' });
		expect(await outcome(accept('party', { partyId: w.partyIds.applicant, accepted: 'yes' }))).toBe('forbidden');
		expect(await outcome(accept('panelist', { partyId: w.partyIds.applicant, accepted: 'yes' }))).toBe('forbidden');
		const otherParty = (await getPanel(w.t.db, w.viewers.mediator, other)).parties[0].id;
		expect(await outcome(accept('mediator', { partyId: otherParty, accepted: 'yes' }))).toEqual({ code: 'invalid', partyId: 'err_pn_party_required' });
		expect(await mediationCounts(w)).toMatchObject({ acceptances: before.acceptances, audit: before.audit });

		await accept('mediator', { partyId: w.partyIds.applicant, accepted: 'yes', note: '当场表示同意由王秀英调解' });
		await accept('mediator', { partyId: w.partyIds.respondent, accepted: 'no', note: '希望由司法所陈立调解' });
		const rows = await w.t.db.select().from(mediatorAcceptances).where(eq(mediatorAcceptances.caseId, w.caseId)).orderBy(asc(mediatorAcceptances.id));
		// No mediator assigned yet: the mediator recording it is the one the parties accept or refuse.
		expect(rows).toMatchObject([
			{ partyId: w.partyIds.applicant, accepted: true, mediatorId: w.viewers.mediator.id, recordedById: w.viewers.mediator.id },
			{ partyId: w.partyIds.respondent, accepted: false, note: '希望由司法所陈立调解' }
		]);
		const panel = await getPanel(w.t.db, w.viewers.party, w.caseId);
		expect(panel.parties.map((p) => p.acceptances.map((a) => a.accepted))).toEqual([[true], [false]]);
		expect(await mediationCounts(w)).toMatchObject({ acceptances: before.acceptances + 2, audit: before.audit + 2, events: before.events + 2 });
	});

	it('needs a mediator: a supervisor on a case with none assigned is told so', async () => {
		expect(await outcome(recordAcceptance(w.t.db, w.viewers['tubu.supervisor'], w.caseId, { partyId: w.partyIds.applicant, accepted: 'yes' }))).toEqual({
			code: 'conflict',
			_: 'err_pn_no_mediator'
		});
	});
});
