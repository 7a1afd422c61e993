import { and, asc, eq, inArray, isNull, like, or } from 'drizzle-orm';
import { union } from 'drizzle-orm/pg-core';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { mediationSessions, panelMembers, panelOpinions, places, sessionAttendance, userRoles, users } from '../db/schema';
import { AppError } from '../errors';
import { scopePattern } from '../people/scope';
import { mayViewCoverage } from './rules';

/** A 法律明白人 or 法律顾问 at a place, with the number of matters they have taken part in. */
export interface CoveragePerson {
	id: number;
	name: string;
	matters: number;
}

export interface CoverageVillage {
	id: number;
	name: string;
	villagers: CoveragePerson[];
}

export interface CoverageTownship {
	id: number;
	name: string;
	advisers: CoveragePerson[];
	villages: CoverageVillage[];
}

export interface Coverage {
	townships: CoverageTownship[];
	/** Villages without an active 法律明白人 and townships without an active 法律顾问, in tree order. */
	gaps: { villages: { id: number; name: string; township: string }[]; townships: { id: number; name: string }[] };
}

/**
 * The coverage of the actor's area. A person counts for the place they are attached to (a county
 * adviser does not cover a township) and only while their account is enabled. "Taken part in a
 * matter" means: sat on the case's panel (not removed), attended one of its sessions, or gave an
 * opinion on it; each case counts once per person however many of these they did.
 */
export async function loadCoverage(db: Db | Tx, actor: Viewer): Promise<Coverage> {
	if (!mayViewCoverage(actor)) throw new AppError('forbidden');
	const scope = scopePattern(actor);
	const placeRows = await db
		.select({ id: places.id, kind: places.kind, name: places.name, parentId: places.parentId })
		.from(places)
		.where(and(like(places.path, scope), inArray(places.kind, ['township', 'village'])))
		.orderBy(asc(places.path));

	const people = await db
		.select({ id: users.id, name: users.name, placeId: users.placeId, role: userRoles.role, placeKind: places.kind })
		.from(users)
		.innerJoin(userRoles, eq(userRoles.userId, users.id))
		.innerJoin(places, eq(places.id, users.placeId))
		.where(
			and(
				like(places.path, scope),
				isNull(users.disabledAt),
				or(and(eq(userRoles.role, 'legal_villager'), eq(places.kind, 'village')), and(eq(userRoles.role, 'legal_advisor'), eq(places.kind, 'township')))
			)
		)
		.orderBy(asc(users.id));

	const matters = await mattersTakenPart(db, people.map((p) => p.id));
	const byPlace = new Map<number, CoveragePerson[]>();
	for (const p of people) {
		const list = byPlace.get(p.placeId) ?? [];
		list.push({ id: p.id, name: p.name, matters: matters.get(p.id) ?? 0 });
		byPlace.set(p.placeId, list);
	}

	const townships: CoverageTownship[] = placeRows
		.filter((p) => p.kind === 'township')
		.map((t) => ({
			id: t.id,
			name: t.name,
			advisers: byPlace.get(t.id) ?? [],
			villages: placeRows.filter((v) => v.kind === 'village' && v.parentId === t.id).map((v) => ({ id: v.id, name: v.name, villagers: byPlace.get(v.id) ?? [] }))
		}));
	return {
		townships,
		gaps: {
			townships: townships.filter((t) => t.advisers.length === 0).map(({ id, name }) => ({ id, name })),
			villages: townships.flatMap((t) => t.villages.filter((v) => v.villagers.length === 0).map(({ id, name }) => ({ id, name, township: t.name })))
		}
	};
}

/** Distinct cases per person across panel seats, session attendance and opinions. */
async function mattersTakenPart(db: Db | Tx, userIds: number[]): Promise<Map<number, number>> {
	const counts = new Map<number, number>();
	if (userIds.length === 0) return counts;
	// Attendance first: its user column is nullable, which sets the union's row type.
	const rows = await union(
		db
			.select({ userId: sessionAttendance.userId, caseId: mediationSessions.caseId })
			.from(sessionAttendance)
			.innerJoin(mediationSessions, eq(mediationSessions.id, sessionAttendance.sessionId))
			.where(inArray(sessionAttendance.userId, userIds)),
		db
			.select({ userId: panelMembers.userId, caseId: panelMembers.caseId })
			.from(panelMembers)
			.where(and(inArray(panelMembers.userId, userIds), isNull(panelMembers.removedAt))),
		db.select({ userId: panelOpinions.userId, caseId: panelOpinions.caseId }).from(panelOpinions).where(inArray(panelOpinions.userId, userIds))
	);
	// `union` (not `union all`) already leaves one row per person and case.
	for (const r of rows) if (r.userId != null) counts.set(r.userId, (counts.get(r.userId) ?? 0) + 1);
	return counts;
}
