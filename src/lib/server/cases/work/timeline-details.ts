import { inArray } from 'drizzle-orm';
import type { Db } from '../../db';
import { departments, places, users } from '../../db/schema';
import { pathIds } from '../../places/place-trail';

/** What a staff-only timeline row says about a step, with names instead of ids. */
export interface StepDetails {
	/** Where the case went (routing, escalation, return). */
	toPlace?: string;
	/** Department and mediator after the step; null when cleared. */
	department?: string | null;
	mediator?: string | null;
	/** Working deadline after the step. */
	handleBy?: string | null;
	extensionDays?: number;
	/** A record of the matter going above the county: where (null: corrected to none) and on which day. */
	escalation?: { level: 'city' | 'province' | 'beijing' | null; on: string };
}

interface StaffData {
	toPlacePath?: string;
	fromPlacePath?: string;
	departmentId?: number | null;
	mediatorId?: number | null;
	handleBy?: string | null;
	extensionDays?: number;
}

/**
 * Names for the ids kept in staff rows (see transition-case.ts). A place is named only when the step
 * moved the case; a department or mediator only when the step set or cleared it.
 */
export async function stepDetails(db: Db, rows: { id: number; kind: string; data: unknown }[]): Promise<Map<number, StepDetails>> {
	const staff = rows.filter((r) => r.kind === 'staff_note').map((r) => ({ id: r.id, data: r.data as StaffData }));
	const placeIds = staff.flatMap(({ data }) => (data.toPlacePath ? pathIds(data.toPlacePath).slice(-1) : []));
	const deptIds = staff.flatMap(({ data }) => (data.departmentId ? [data.departmentId] : []));
	const userIds = staff.flatMap(({ data }) => (data.mediatorId ? [data.mediatorId] : []));
	const [p, d, u] = await Promise.all([
		placeIds.length ? db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, placeIds)) : [],
		deptIds.length ? db.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, deptIds)) : [],
		userIds.length ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)) : []
	]);
	const name = (list: { id: number; name: string }[], id: number | null | undefined) => (id == null ? null : (list.find((x) => x.id === id)?.name ?? null));
	const escalations = rows
		.filter((r) => r.kind === 'escalation_record')
		.map((r) => {
			const data = r.data as { level: 'city' | 'province' | 'beijing' | null; on: string };
			return [r.id, { escalation: { level: data.level, on: data.on } } as StepDetails] as const;
		});
	return new Map<number, StepDetails>([
		...escalations,
		...staff.map(({ id, data }) => {
			const details: StepDetails = {};
			if (data.toPlacePath && data.toPlacePath !== data.fromPlacePath) details.toPlace = name(p, pathIds(data.toPlacePath).at(-1)) ?? undefined;
			if ('departmentId' in data) details.department = name(d, data.departmentId);
			if ('mediatorId' in data) details.mediator = name(u, data.mediatorId);
			if ('handleBy' in data) details.handleBy = data.handleBy ?? null;
			if (data.extensionDays) details.extensionDays = data.extensionDays;
			return [id, details] as const;
		})
	]);
}
