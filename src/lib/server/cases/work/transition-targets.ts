import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { PlaceKind } from '../../../types';
import type { Db, Tx } from '../../db';
import { departments, places, userRoles, users } from '../../db/schema';
import { pathIds } from '../../places/place-trail';
import { isAtOrBelow } from '../permissions';
import { originPath, type CaseRow } from './case-snapshot';

/**
 * Where a case may be sent and to whom, beyond what the pure rules know: the rules see paths and ids;
 * these checks know which places, departments and mediators exist.
 */

export interface PlaceOption {
	id: number;
	name: string;
	kind: PlaceKind;
	path: string;
}

/** The places on the case's origin chain (county → its township → its village), county first. */
export async function originChain(db: Db | Tx, row: CaseRow): Promise<PlaceOption[]> {
	const ids = pathIds(originPath(row));
	const rows = await db.select({ id: places.id, name: places.name, kind: places.kind, path: places.path }).from(places).where(inArray(places.id, ids));
	return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

/**
 * The path of a place a case may be returned or routed down to: on its origin chain (the township or
 * village where it arose), never a neighbouring village. Null when the id is not such a place.
 */
export async function originPlacePath(db: Db | Tx, row: CaseRow, placeId: number): Promise<string | null> {
	const chain = await originChain(db, row);
	return chain.find((p) => p.id === placeId)?.path ?? null;
}

/** A department may take the case only if it belongs to the case's county. */
export async function departmentOfCounty(db: Db | Tx, row: CaseRow, departmentId: number): Promise<boolean> {
	const [d] = await db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.id, departmentId), eq(departments.countyId, row.countyId)))
		.limit(1);
	return d !== undefined;
}

export interface MediatorOption {
	id: number;
	name: string;
	placeName: string;
	placePath: string;
}

/** Enabled users with the mediator role, with their place. */
async function mediators(db: Db | Tx, ids?: number[]): Promise<MediatorOption[]> {
	return db
		.select({ id: users.id, name: users.name, placeName: places.name, placePath: places.path })
		.from(users)
		.innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, 'mediator')))
		.innerJoin(places, eq(places.id, users.placeId))
		.where(and(isNull(users.disabledAt), ids ? inArray(users.id, ids) : undefined))
		.orderBy(asc(places.path), asc(users.name));
}

/**
 * A mediator may handle a case at `handlingPath` when their own place is within that place's subtree
 * (a village mediator for a township case) or above it (a township mediator for a village case):
 * never a mediator from a neighbouring township or village.
 */
export function mediatorFits(mediatorPlacePath: string, handlingPath: string): boolean {
	return isAtOrBelow(mediatorPlacePath, handlingPath) || isAtOrBelow(handlingPath, mediatorPlacePath);
}

export async function mediatorMayHandle(db: Db | Tx, mediatorId: number, handlingPath: string): Promise<boolean> {
	const [m] = await mediators(db, [mediatorId]);
	return m !== undefined && mediatorFits(m.placePath, handlingPath);
}

/** Choices for the routing forms of one case. */
export interface TransitionTargets {
	/** Places on the origin chain below the county (townships and villages), county first. */
	chain: PlaceOption[];
	departments: { id: number; name: string }[];
	/** Mediators who fit the case's origin chain (any level on it, or below its township). */
	mediators: MediatorOption[];
}

export async function transitionTargets(db: Db | Tx, row: CaseRow): Promise<TransitionTargets> {
	const [chain, depts, all] = await Promise.all([
		originChain(db, row),
		db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.countyId, row.countyId)).orderBy(asc(departments.name)),
		mediators(db)
	]);
	// Offer those who fit the current place or any place the case can be routed down to.
	const paths = chain.filter((p) => isAtOrBelow(p.path, row.placePath)).map((p) => p.path);
	return { chain, departments: depts, mediators: all.filter((m) => paths.some((p) => mediatorFits(m.placePath, p))) };
}
