import type { PartySide } from '../../enums';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Viewer } from '../../types';
import { daysBetween, shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { agreements, agreementTerms, caseOutcomes, caseParties, returnVisits, termPerformance, users } from '../db/schema';
import { loadMediationCase, mayRunMediation } from '../cases/access';
import { confirmationDeadline, termState, type TermState } from './follow-up-rules';

export interface TermView {
	id: number;
	seq: number;
	what: string;
	obligor: string | null;
	amountFen: number | null;
	dueOn: string | null;
	state: TermState;
	latest: { done: boolean; doneOn: string | null; note: string | null; recordedBy: string; recordedAt: Date } | null;
}

export interface FollowUpPage {
	case: { id: number; number: string; title: string };
	/** The viewer runs the case: records performance and visits, downloads every copy. */
	mayRecord: boolean;
	hasOutcome: boolean;
	/** The effective agreement, with art. 33's window; null while there is none in force. */
	agreement: { effectiveOn: string; confirmBy: string; daysLeft: number } | null;
	terms: TermView[];
	visits: { id: number; party: string; visitedOn: string; method: string; satisfaction: number; comment: string | null; recordedBy: string }[];
	parties: { id: number; name: string; side: PartySide }[];
	/** The copies the viewer may download: their own as a party; all and the committee's when running the case. */
	copies: { holder: string; side: PartySide | null; name: string }[];
}

export interface GetFollowUpOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** Everything after the agreement, for one viewer who may see the case. */
export async function getFollowUp(db: Db, viewer: Viewer, caseId: unknown, options: GetFollowUpOptions = {}): Promise<FollowUpPage> {
	const { now = new Date() } = options;
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const runs = mayRunMediation(viewer, row);
	const today = shanghaiDate(now);
	const [[agreement], [outcome], parties, visitRows] = await Promise.all([
		db.select().from(agreements).where(eq(agreements.caseId, row.id)).limit(1),
		db.select({ id: caseOutcomes.id }).from(caseOutcomes).where(eq(caseOutcomes.caseId, row.id)).limit(1),
		db
			.select({ id: caseParties.id, name: caseParties.name, side: caseParties.side, userId: caseParties.userId })
			.from(caseParties)
			.where(eq(caseParties.caseId, row.id))
			.orderBy(asc(caseParties.side), asc(caseParties.sortOrder), asc(caseParties.id)),
		db
			.select({ v: returnVisits, party: caseParties.name, recordedBy: users.name })
			.from(returnVisits)
			.innerJoin(caseParties, eq(caseParties.id, returnVisits.partyId))
			.innerJoin(users, eq(users.id, returnVisits.recordedById))
			.where(eq(returnVisits.caseId, row.id))
			.orderBy(desc(returnVisits.visitedOn), desc(returnVisits.id))
	]);
	const effective = agreement?.status === 'effective' && agreement.effectiveOn ? agreement : null;

	let terms: TermView[] = [];
	if (effective) {
		const obligor = alias(caseParties, 'obligor');
		const termRows = await db
			.select({ t: agreementTerms, obligor: obligor.name })
			.from(agreementTerms)
			.leftJoin(obligor, eq(obligor.id, agreementTerms.obligorPartyId))
			.where(eq(agreementTerms.agreementId, effective.id))
			.orderBy(asc(agreementTerms.seq), asc(agreementTerms.id));
		const statements = termRows.length
			? await db
					.select({ p: termPerformance, recordedBy: users.name })
					.from(termPerformance)
					.innerJoin(users, eq(users.id, termPerformance.recordedById))
					.where(inArray(termPerformance.termId, termRows.map((r) => r.t.id)))
					.orderBy(desc(termPerformance.recordedAt), desc(termPerformance.id))
			: [];
		terms = termRows.map(({ t, obligor }) => {
			const last = statements.find((s) => s.p.termId === t.id);
			return {
				id: t.id,
				seq: t.seq,
				what: t.what,
				obligor,
				amountFen: t.amountFen,
				dueOn: t.dueOn,
				state: termState({ done: last?.p.done ?? false, dueOn: t.dueOn }, today),
				latest: last ? { done: last.p.done, doneOn: last.p.doneOn, note: last.p.note, recordedBy: last.recordedBy, recordedAt: last.p.recordedAt } : null
			};
		});
	}
	const confirmBy = effective ? confirmationDeadline(effective.effectiveOn!) : null;
	const copies = effective
		? [
				...parties.filter((p) => runs || p.userId === viewer.id).map((p) => ({ holder: String(p.id), side: p.side, name: p.name })),
				...(runs ? [{ holder: 'committee', side: null, name: '' }] : [])
			]
		: [];

	return {
		case: { id: row.id, number: row.number, title: row.title },
		mayRecord: runs,
		hasOutcome: outcome !== undefined,
		agreement: effective && confirmBy ? { effectiveOn: effective.effectiveOn!, confirmBy, daysLeft: daysBetween(today, confirmBy) } : null,
		terms,
		visits: visitRows.map(({ v, party, recordedBy }) => ({
			id: v.id,
			party,
			visitedOn: v.visitedOn,
			method: v.method,
			satisfaction: v.satisfaction,
			comment: v.comment,
			recordedBy
		})),
		parties: parties.map(({ id, name, side }) => ({ id, name, side })),
		copies
	};
}
