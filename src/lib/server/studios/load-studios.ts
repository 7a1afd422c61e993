import { and, asc, desc, eq, inArray, isNull, like, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import type { Db } from '../db';
import { cases, places, studioMembers, studios, userRoles, users } from '../db/schema';
import { AppError } from '../errors';
import { idOf } from '../people/scope';
import { countyIdOf } from '../places/list-departments';
import { pathIds } from '../places/place-trail';
import type { Period } from '../stats/rules';
import { mayAssignStudios, mayKeepStudios, mayListStudios, mayViewStudio } from './rules';
import { studioFigures, type StudioFigures } from './studio-figures';

export interface StudioSummary {
	id: number;
	name: string;
	placeName: string;
	placePath: string;
	leadName: string;
	method: string;
	intake: string;
	members: number;
	figures: StudioFigures;
}

/** How many of a studio's matters its page lists: the open ones first, then the latest concluded. */
const CASE_LIMIT = 50;
/** How many long-standing open matters the assign form proposes. */
const PROPOSAL_LIMIT = 20;

const lead = alias(users, 'lead');

export async function studioRows(db: Db, countyId: number, id?: number) {
	return db
		.select({
			id: studios.id,
			name: studios.name,
			placeId: studios.placeId,
			placeName: places.name,
			placePath: places.path,
			leadId: studios.leadId,
			leadName: lead.name,
			method: studios.method,
			intake: studios.intake
		})
		.from(studios)
		.innerJoin(places, eq(places.id, studios.placeId))
		.innerJoin(lead, eq(lead.id, studios.leadId))
		.where(and(eq(studios.countyId, countyId), id === undefined ? undefined : eq(studios.id, id)))
		.orderBy(asc(studios.id));
}

/** The studios this viewer may see (their county's, on their line of places, or their own), with figures. */
export async function listStudios(db: Db, viewer: Viewer) {
	if (!mayListStudios(viewer)) throw new AppError('forbidden');
	const rows = (await studioRows(db, countyIdOf(viewer))).filter((s) => mayViewStudio(viewer, s));
	const ids = rows.map((s) => s.id);
	const mayKeep = mayKeepStudios(viewer);
	const [figures, counts, options] = await Promise.all([
		studioFigures(db, ids),
		ids.length
			? db.select({ studioId: studioMembers.studioId, userId: studioMembers.userId }).from(studioMembers).where(inArray(studioMembers.studioId, ids))
			: Promise.resolve([]),
		mayKeep ? keepOptions(db, viewer) : Promise.resolve(null)
	]);
	const summaries: StudioSummary[] = rows.map((s) => ({ ...s, members: counts.filter((c) => c.studioId === s.id).length, figures: figures.get(s.id)! }));
	return { studios: summaries, mayKeep, options };
}

export interface LoadStudioOptions {
	/** The period the figures cover (otherwise all time). */
	period?: Period | null;
}

/**
 * One studio's page: who it is, its figures (over all time, or over a period as the statistics' "by
 * studio" rows count them), its matters (those the viewer may see), and for a
 * supervisor the long-standing open matters it could take; for an administrator the edit options.
 * A studio the viewer may not see answers like a missing one.
 */
export async function loadStudio(db: Db, viewer: Viewer, rawId: unknown, studioOptions: LoadStudioOptions = {}) {
	const { period = null } = studioOptions;
	if (!mayListStudios(viewer)) throw new AppError('forbidden');
	const [studio] = await studioRows(db, countyIdOf(viewer), idOf(rawId));
	if (!studio || !mayViewStudio(viewer, studio)) throw new AppError('not_found');
	const mayAssign = mayAssignStudios(viewer);
	const mayKeep = mayKeepStudios(viewer);
	const [figures, members, matters, proposals, options] = await Promise.all([
		studioFigures(db, [studio.id], { period }),
		db
			.select({ id: users.id, name: users.name, placeName: places.name })
			.from(studioMembers)
			.innerJoin(users, eq(users.id, studioMembers.userId))
			.innerJoin(places, eq(places.id, users.placeId))
			.where(eq(studioMembers.studioId, studio.id))
			.orderBy(asc(studioMembers.addedAt), asc(users.id)),
		db
			.select({ id: cases.id, number: cases.number, title: cases.title, status: cases.status, registeredAt: cases.registeredAt, studioAssignedAt: cases.studioAssignedAt })
			.from(cases)
			.where(and(eq(cases.studioId, studio.id), caseVisibility(viewer)))
			.orderBy(desc(cases.studioAssignedAt), desc(cases.id))
			.limit(CASE_LIMIT),
		mayAssign ? proposeMatters(db, viewer, studio.placePath) : Promise.resolve([]),
		mayKeep ? keepOptions(db, viewer) : Promise.resolve(null)
	]);
	return { studio, figures: figures.get(studio.id)!, period, members, matters, proposals, mayAssign, mayKeep, options };
}

/**
 * Long-standing open matters (积案) within both the supervisor's and the studio's place, not yet with a
 * studio, oldest first: what a supervisor most likely sends to a studio.
 */
async function proposeMatters(db: Db, viewer: Viewer, studioPath: string) {
	const narrower = studioPath.length > viewer.place.path.length ? studioPath : viewer.place.path;
	const ids = pathIds(narrower);
	const column = ids.length === 1 ? cases.countyId : ids.length === 2 ? cases.townshipId : cases.villageId;
	return db
		.select({ id: cases.id, number: cases.number, title: cases.title, registeredAt: cases.registeredAt })
		.from(cases)
		.where(
			and(
				eq(column, ids[ids.length - 1]),
				isNull(cases.studioId),
				inArray(cases.status, ['registered', 'accepted', 'assigned', 'in_mediation']),
				caseVisibility(viewer)
			)
		)
		.orderBy(asc(cases.registeredAt), asc(cases.id))
		.limit(PROPOSAL_LIMIT);
}

/** For an administrator: the places a studio may sit at and the county's enabled mediators. */
async function keepOptions(db: Db, viewer: Viewer) {
	const [placeOptions, mediators] = await Promise.all([
		db
			.select({ id: places.id, name: places.name, kind: places.kind })
			.from(places)
			.where(and(like(places.path, `${viewer.place.path}%`), ne(places.kind, 'village')))
			.orderBy(asc(places.path)),
		db
			.selectDistinct({ id: users.id, name: users.name, placeName: places.name })
			.from(users)
			.innerJoin(places, eq(places.id, users.placeId))
			.innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'mediator')))
			.where(and(isNull(users.disabledAt), like(places.path, `${viewer.place.path}%`)))
			.orderBy(asc(users.id))
	]);
	return { places: placeOptions, mediators };
}
