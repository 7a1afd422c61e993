import { and, asc, eq, isNotNull, min } from 'drizzle-orm';
import type { PlaceKind } from '../../types';
import { maskPhone } from '../../utils/phone';
import { dueDates, type ClockInput, type ClockName } from '../cases/clocks';
import { shanghaiDate } from '../cases/shanghai-date';
import type { CaseStatus, ReviewStage } from '../cases/states';
import { loadSnapshot } from '../cases/work/case-snapshot';
import type { Db } from '../db';
import { agreements, caseCategories, caseEvents, caseParties, cases, mediationSessions, places } from '../db/schema';
import { AppError } from '../errors';
import { currentStage, publicStages, type PublicStage } from './public-stages';
import { maskName, ratingRefusal } from './rules';

/**
 * What the public tracking page shows: the step the matter is at, in plain words, and nothing a
 * stranger holding the code should not read — no staff names or ids, no staff-only timeline entries
 * or notes, no description, no respondents, no ID numbers, and applicants' names and phones masked.
 * Only `public` timeline rows are read; the casework keeps every staff-only note, routing detail and
 * working deadline in separate non-public rows, so a public row's text is what the petitioner is told
 * (a refusal's reason, an extension's reason, the reply).
 */
export interface PublicCaseView {
	number: string;
	title: string;
	status: CaseStatus;
	reviewStage: ReviewStage;
	category: { zh: string; en: string };
	registeredAt: Date;
	/** The level handling it now: a village, township or the county. */
	handlingPlace: { name: string; kind: PlaceKind };
	applicants: { name: string; phone: string | null }[];
	/** The date the office (or, for a review request, the resident) must act by; null when none runs. */
	due: { clock: ClockName; on: string } | null;
	/** Days of the one extension (信访工作条例 art. 34); its reason is in the timeline. */
	extensionDays: number | null;
	/**
	 * Public timeline entries, oldest first: the reason or note told to the petitioner, the reply, and
	 * for a mediation session its number (nothing else of the row's data: no ids, hashes or names).
	 */
	timeline: { at: Date; kind: string; toStatus: CaseStatus | null; text: string | null; summary: string | null; seq: number | null }[];
	/** The plain stages (受理 → 交办 → 调解 → 协议 → 办结) with the date each was reached; none for a refused matter. */
	stages: { stage: PublicStage; on: Date | null }[];
	/** The furthest stage reached, or null before acceptance. */
	stage: PublicStage | null;
	rating: { value: number; comment: string | null; at: Date } | null;
	canRate: boolean;
}

export interface LoadPublicViewOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** Loads the public view of a case the caller has already opened with number + code. */
export async function loadPublicView(db: Db, caseId: number, options: LoadPublicViewOptions = {}): Promise<PublicCaseView> {
	const { now = new Date() } = options;
	const [row] = await db
		.select({ c: cases, categoryZh: caseCategories.nameZh, categoryEn: caseCategories.nameEn, placeName: places.name, placeKind: places.kind })
		.from(cases)
		.innerJoin(caseCategories, eq(caseCategories.id, cases.categoryId))
		.innerJoin(places, eq(places.id, cases.placeId))
		.where(eq(cases.id, caseId))
		.limit(1);
	if (!row) throw new AppError('not_found');

	const c = row.c;
	const [applicants, events, snapshot, sessionStarts, agreementRows] = await Promise.all([
		db
			.select({ name: caseParties.name, phone: caseParties.phone })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'applicant')))
			.orderBy(asc(caseParties.sortOrder), asc(caseParties.id)),
		db
			.select({ at: caseEvents.at, kind: caseEvents.kind, toStatus: caseEvents.toStatus, note: caseEvents.note, data: caseEvents.data })
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.public, true)))
			.orderBy(asc(caseEvents.at), asc(caseEvents.id)),
		loadSnapshot(db, c),
		db
			.select({ at: min(mediationSessions.startedAt) })
			.from(mediationSessions)
			.where(and(eq(mediationSessions.caseId, caseId), isNotNull(mediationSessions.startedAt))),
		db.select({ at: agreements.effectiveAt }).from(agreements).where(eq(agreements.caseId, caseId)).limit(1)
	]);
	const [firstSession, agreement] = [sessionStarts[0]?.at ?? null, agreementRows[0]?.at ?? null];
	const stages =
		c.status === 'not_accepted' ? [] : publicStages({ events, firstSessionStartedAt: firstSession && new Date(firstSession), agreementEffectiveAt: agreement });

	return {
		number: c.number,
		title: c.title,
		status: c.status,
		reviewStage: c.reviewStage,
		category: { zh: row.categoryZh, en: row.categoryEn },
		registeredAt: c.registeredAt,
		handlingPlace: { name: row.placeName, kind: row.placeKind },
		applicants: applicants.map((a) => ({ name: maskName(a.name), phone: a.phone ? maskPhone(a.phone) : null })),
		due: publicDue(snapshot, shanghaiDate(now)),
		extensionDays: c.extensionDays,
		timeline: events.map((e) => ({ at: e.at, kind: e.kind, toStatus: e.toStatus, text: e.note, summary: summaryOf(e.data), seq: seqOf(e.kind, e.data) })),
		stages,
		stage: currentStage(stages),
		rating: c.publicRating != null && c.publicRatedAt ? { value: c.publicRating, comment: c.publicRatingComment, at: c.publicRatedAt } : null,
		canRate: ratingRefusal(c) === null
	};
}

function seqOf(kind: string, data: unknown): number | null {
	if (!kind.startsWith('session_')) return null;
	const seq = typeof data === 'object' && data !== null ? (data as { seq?: unknown }).seq : null;
	return typeof seq === 'number' ? seq : null;
}

function summaryOf(data: unknown): string | null {
	const summary = typeof data === 'object' && data !== null ? (data as { summary?: unknown }).summary : null;
	return typeof summary === 'string' ? summary : null;
}

/**
 * The one date that matters to the resident now: while registered, when they will be told whether it
 * is accepted (art. 23); while handled, when it must be concluded (art. 34); after the reply, until
 * when they may ask for review or re-review (arts. 35/36), or when that answer is due.
 */
function publicDue(clocks: ClockInput, today: string): PublicCaseView['due'] {
	const dates = dueDates(clocks);
	const pick = (clock: ClockName, windowForResident = false) => {
		const on = dates[clock];
		// A request window that has closed is no longer worth showing as a date to act by.
		return on && !(windowForResident && on < today) ? { clock, on } : null;
	};
	switch (clocks.status) {
		case 'registered':
			return pick('notifyBy');
		case 'accepted':
		case 'assigned':
		case 'in_mediation':
			return pick('concludeBy');
		case 'concluded':
		case 'follow_up':
		case 'archived':
			switch (clocks.reviewStage) {
				case 'none':
					return pick('reviewRequestBy', true);
				case 'review_requested':
					return pick('reviewAnswerBy');
				case 'review_answered':
					return pick('reReviewRequestBy', true);
				case 're_review_requested':
					return pick('reReviewAnswerBy');
				default:
					return null;
			}
		default:
			return null;
	}
}
