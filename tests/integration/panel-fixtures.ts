import { count, eq } from 'drizzle-orm';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { auditLog, caseEvents, caseParties, documentVersions, mediationSessions, mediatorAcceptances, panelMembers, sessionAttendance } from '../../src/lib/server/db/schema';
import { newCase, setUpCasework, type Casework } from './casework-fixtures';

/**
 * The demo county (plus the casework extras) with one case in 城南村, filed by the 涂埠镇 mediator, whose
 * applicant is the demo party's own account. The 涂埠镇 mediator and supervisor run its mediation; the
 * 虬津村 villager (another township) and the 城南村 panelist may not see it until invited.
 */
export interface PanelWorld extends Casework {
	caseId: number;
	partyIds: { applicant: number; respondent: number };
}

export async function setUpPanelWorld(): Promise<PanelWorld> {
	const w = await setUpCasework();
	const caseId = await fileTubuCase(w);
	const parties = await w.t.db.select({ id: caseParties.id, side: caseParties.side }).from(caseParties).where(eq(caseParties.caseId, caseId));
	return {
		...w,
		caseId,
		partyIds: { applicant: parties.find((p) => p.side === 'applicant')!.id, respondent: parties.find((p) => p.side === 'respondent')!.id }
	};
}

/** The demo panelist sits on the case's panel, having declared no conflict. */
export async function seatPanelist(w: PanelWorld, at: Date): Promise<void> {
	await w.t.db.insert(panelMembers).values({
		caseId: w.caseId,
		userId: w.viewers.panelist.id,
		memberType: 'veteran_party_member',
		invitedById: w.viewers.mediator.id,
		invitedAt: at,
		partiesConsent: '双方当事人同意',
		conflict: 'no_conflict'
	});
}

/** Another case in 城南村 with the demo party as applicant. */
export async function fileTubuCase(w: Casework): Promise<number> {
	const { id } = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds));
	await w.t.db.update(caseParties).set({ userId: w.viewers.party.id }).where(eq(caseParties.caseId, id));
	return id;
}

/** Row counts of every table a panel or session change writes. */
export async function mediationCounts(w: Casework) {
	const n = async (table: typeof panelMembers | typeof mediatorAcceptances | typeof mediationSessions | typeof sessionAttendance | typeof caseEvents | typeof auditLog | typeof documentVersions) => {
		const [{ n }] = await w.t.db.select({ n: count() }).from(table);
		return n;
	};
	return {
		members: await n(panelMembers),
		acceptances: await n(mediatorAcceptances),
		sessions: await n(mediationSessions),
		attendance: await n(sessionAttendance),
		events: await n(caseEvents),
		audit: await n(auditLog),
		versions: await n(documentVersions)
	};
}

/** A time `hours` from now (sessions are scheduled against the real clock). */
export const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000);
