import type { PartySide } from '../../enums';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { FROM_STATES } from '../cases/rules';
import { pathDepth } from '../cases/permissions';
import { placeKindOf } from '../cases/work/case-snapshot';
import { isAboveCounty } from '../places/rules';
import type { Db } from '../db';
import { caseOutcomes, caseParties, outcomeResponses, users } from '../db/schema';
import { loadMediationCase, mayRunMediation } from '../cases/access';
import { agreementOutcomeText } from './agreement-outcome-text';
import type { NextStep, OutcomeClass, OutcomeKind, PetitionDecision, Route } from './rules';

export interface ResponseView {
	id: number;
	accepted: boolean;
	reason: string | null;
	recordedBy: string;
	recordedAt: Date;
}

export interface OutcomeView {
	id: number;
	kind: OutcomeKind;
	content: string;
	reachedAt: Date | null;
	routesTold: Route[];
	outcomeClass: OutcomeClass;
	petitionDecision: PetitionDecision;
	next: NextStep;
	recordedBy: string;
	recordedAt: Date;
}

export interface OutcomePage {
	case: { id: number; number: string; title: string; status: string; conclusionSummary: string | null };
	/** The viewer runs the mediation and the case is at a stage that can end it. */
	mayRecord: boolean;
	/** A failure may be referred to the next level (not from the county). */
	mayEscalate: boolean;
	/** The current outcome (the latest), then earlier ones at lower levels. */
	outcomes: OutcomeView[];
	/** Each party with their statements on the current outcome, latest first; `mine` marks the viewer's own. */
	parties: { id: number; name: string; side: PartySide; mine: boolean; responses: ResponseView[] }[];
	/** The parties whose statement the viewer may record: anyone's for the mediator, their own for a party. */
	respondFor: number[];
	/** For the recording form: the terms of the agreement in force, or null (none, or the viewer may not record). */
	agreementContent: string | null;
}

/** The outcome page of a case, looked up through the viewer's scope. */
export async function getOutcome(db: Db, viewer: Viewer, caseId: unknown): Promise<OutcomePage> {
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const runs = mayRunMediation(viewer, row);
	const [outcomeRows, partyRows] = await Promise.all([
		db
			.select({ o: caseOutcomes, recordedBy: users.name })
			.from(caseOutcomes)
			.innerJoin(users, eq(users.id, caseOutcomes.recordedById))
			.where(eq(caseOutcomes.caseId, row.id))
			.orderBy(desc(caseOutcomes.recordedAt), desc(caseOutcomes.id)),
		db
			.select({ id: caseParties.id, name: caseParties.name, side: caseParties.side, userId: caseParties.userId })
			.from(caseParties)
			.where(eq(caseParties.caseId, row.id))
			.orderBy(asc(caseParties.sortOrder), asc(caseParties.id))
	]);
	const current = outcomeRows[0]?.o;
	const mayRecord = runs && FROM_STATES.conclude.includes(row.status);
	const agreementContent = mayRecord ? await agreementOutcomeText(db, row.id) : null;
	const responseRows = current
		? await db
				.select({ r: outcomeResponses, recordedBy: users.name })
				.from(outcomeResponses)
				.innerJoin(users, eq(users.id, outcomeResponses.recordedById))
				.where(inArray(outcomeResponses.outcomeId, [current.id]))
				.orderBy(desc(outcomeResponses.recordedAt), desc(outcomeResponses.id))
		: [];

	return {
		case: { id: row.id, number: row.number, title: row.title, status: row.status, conclusionSummary: row.conclusionSummary },
		mayRecord,
		mayEscalate: pathDepth(row.placePath) > 1 && !isAboveCounty(placeKindOf(row)),
		outcomes: outcomeRows.map(({ o, recordedBy }) => ({
			id: o.id,
			kind: o.kind,
			content: o.content,
			reachedAt: o.reachedAt,
			routesTold: o.routesTold as Route[],
			outcomeClass: o.outcomeClass,
			petitionDecision: o.petitionDecision,
			next: o.next,
			recordedBy,
			recordedAt: o.recordedAt
		})),
		parties: partyRows.map((p) => ({
			id: p.id,
			name: p.name,
			side: p.side,
			mine: p.userId === viewer.id,
			responses: responseRows
				.filter(({ r }) => r.partyId === p.id)
				.map(({ r, recordedBy }) => ({ id: r.id, accepted: r.accepted, reason: r.reason, recordedBy, recordedAt: r.recordedAt }))
		})),
		respondFor: current ? partyRows.filter((p) => runs || p.userId === viewer.id).map((p) => p.id) : [],
		agreementContent
	};
}
