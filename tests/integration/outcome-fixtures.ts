import { and, eq } from 'drizzle-orm';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { declareConflict } from '../../src/lib/server/mediation/panel/declare-conflict';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { caseParties } from '../../src/lib/server/db/schema';
import { fileTubuCase, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The panel world with its case in mediation (accepted, assigned to the 涂埠镇 mediator, started) and
 * a panel of three: the 城南村 panelist and villager, who declared no conflict, and the 涂埠镇 legal
 * adviser, who has not declared yet.
 */
export async function setUpOutcomeWorld(): Promise<PanelWorld> {
	const w = await setUpPanelWorld();
	await startMediation(w, w.caseId);
	const { mediator, panelist, villager, advisor } = w.viewers;
	for (const [who, memberType] of [
		[panelist, 'veteran_party_member'],
		[villager, 'legal_villager'],
		[advisor, 'legal_advisor']
	] as const) {
		await inviteMember(w.t.db, mediator, w.caseId, { userId: String(who.id), memberType, partiesConsent: '双方当事人当面口头同意' });
	}
	await declareConflict(w.t.db, panelist, w.caseId, { declaration: 'no_conflict' });
	await declareConflict(w.t.db, villager, w.caseId, { declaration: 'no_conflict' });
	return w;
}

/**
 * Accepts, assigns to the 涂埠镇 mediator and starts mediation. The demo party's account stays the
 * applicant's only: the respondent has no account (as most respondents in the county do not).
 */
export async function startMediation(w: PanelWorld, caseId: number): Promise<void> {
	const { mediator } = w.viewers;
	await w.t.db.update(caseParties).set({ userId: null }).where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'respondent')));
	await transitionCase(w.t.db, mediator, caseId, { type: 'accept' });
	await transitionCase(w.t.db, mediator, caseId, { type: 'assign', mediatorId: String(mediator.id) });
	await transitionCase(w.t.db, mediator, caseId, { type: 'start_mediation' });
}

/** A second case of the same world, in mediation. */
export async function caseInMediation(w: PanelWorld): Promise<number> {
	const id = await fileTubuCase(w);
	await startMediation(w, id);
	return id;
}
