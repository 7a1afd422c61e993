import type { RoleName, Viewer } from '../../types';
import { AppError } from '../errors';

/**
 * Which roles a person holds, as the checks that areas make before anything else: an admin, staff
 * (everyone but a party), an admin at the county. Pure; the people and places areas both build on it.
 */

export function assertAdmin(actor: Viewer): void {
	if (!isAdmin(actor)) throw new AppError('forbidden');
}

export function assertStaff(actor: Viewer): void {
	if (!isStaff(actor)) throw new AppError('forbidden');
}

export function isAdmin(viewer: { roles: { role: RoleName }[] }): boolean {
	return viewer.roles.some((r) => r.role === 'admin');
}

export function isStaff(viewer: { roles: { role: RoleName }[] }): boolean {
	return viewer.roles.some((r) => r.role !== 'party');
}

/**
 * Departments are county bodies, and membership widens what a person sees (matters routed to the
 * department), so only an admin at the county may create them, rename them or put people in them.
 */
export function managesCounty(viewer: { roles: { role: RoleName }[]; place: { kind: string } }): boolean {
	return isAdmin(viewer) && viewer.place.kind === 'county';
}
