import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { PlaceKind, Viewer } from '../../../types';
import type { Db, Tx } from '../../db';
import { caseEvents, caseParties, cases } from '../../db/schema';
import { AppError } from '../../errors';
import { caseVisibility } from '../scope';
import { pathDepth } from '../permissions';
import { PLACE_LEVELS } from '../../places/rules';
import type { CaseSnapshot } from '../states';

export type CaseRow = typeof cases.$inferSelect;

/**
 * The case with this id, looked up only among those the viewer may see: an id outside the viewer's
 * scope and one that does not exist are the same `not_found`.
 */
export async function loadVisibleCase(db: Db | Tx, viewer: Viewer, caseId: unknown): Promise<CaseRow> {
	const id = Number(caseId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [row] = await db
		.select()
		.from(cases)
		.where(and(eq(cases.id, id), caseVisibility(viewer)))
		.limit(1);
	if (!row) throw new AppError('not_found');
	return row;
}

type OriginIds = Pick<CaseRow, 'provinceId' | 'cityId' | 'countyId' | 'townshipId' | 'villageId'>;

/**
 * The level handling a matter now. Every place of a tree is as deep below its root as its level is
 * below the root's level; the matter's origin (a village or a township, with every level above it in
 * its own columns) fixes the root's level, whatever the tree's root is.
 */
export function placeKindOf(row: OriginIds & Pick<CaseRow, 'placePath'>): PlaceKind {
	const origin = originPath(row);
	const rootRank = PLACE_LEVELS.indexOf(row.villageId != null ? 'village' : 'township') - (pathDepth(origin) - 1);
	const kind = PLACE_LEVELS[rootRank + pathDepth(row.placePath) - 1];
	if (!kind || !origin.startsWith(pathRoot(row.placePath))) throw new Error(`malformed place path ${row.placePath}`);
	return kind;
}

const pathRoot = (path: string) => path.slice(0, path.indexOf('/', 1) + 1);

/**
 * The path of the place where the matter arose (its village, or its township when filed there).
 * Returning a case down the levels only ever goes back along this chain.
 */
export function originPath(row: OriginIds): string {
	return `/${[row.provinceId, row.cityId, row.countyId, row.townshipId, row.villageId].filter((id) => id != null).join('/')}/`;
}

/**
 * The pure rules' view of a stored case. Two facts have no column of their own and are read from the
 * timeline: the working deadline set at routing (`handleBy`, kept in the data of the step that last set
 * it) and when the case was refused (`notAcceptedAt`, the step into `not_accepted`).
 */
export async function loadSnapshot(db: Db | Tx, row: CaseRow): Promise<CaseSnapshot> {
	const [partyRows, [deadline], [refusal]] = await Promise.all([
		db
			.select({ userId: caseParties.userId })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, row.id), isNotNull(caseParties.userId))),
		db
			.select({ handleBy: sql<string | null>`${caseEvents.data}->>'handleBy'` })
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, row.id), sql`(${caseEvents.data}->'handleBy') is not null`))
			.orderBy(desc(caseEvents.at), desc(caseEvents.id))
			.limit(1),
		db
			.select({ at: caseEvents.at })
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, row.id), eq(caseEvents.toStatus, 'not_accepted')))
			.orderBy(desc(caseEvents.at), desc(caseEvents.id))
			.limit(1)
	]);
	return {
		status: row.status,
		placePath: row.placePath,
		placeKind: placeKindOf(row),
		departmentId: row.departmentId,
		mediatorId: row.mediatorId,
		studioId: row.studioId,
		filedById: row.filedById,
		partyUserIds: partyRows.map((p) => p.userId!),
		handleBy: deadline?.handleBy ?? null,
		registeredAt: row.registeredAt,
		acceptedAt: row.acceptedAt,
		notAcceptedAt: row.status === 'not_accepted' || refusal ? (refusal?.at ?? row.lastActivityAt) : null,
		routedAt: row.assignedAt,
		concludedAt: row.concludedAt,
		reviewStage: row.reviewStage,
		reviewRequestedAt: row.reviewRequestedAt,
		reviewAnsweredAt: row.reviewAnsweredAt,
		reReviewRequestedAt: row.reReviewRequestedAt,
		reReviewAnsweredAt: row.reReviewAnsweredAt,
		extension: row.extensionDays ? { days: row.extensionDays, reason: row.extensionReason ?? '' } : null
	};
}
