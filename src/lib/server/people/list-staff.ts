import type { Viewer } from '../../types';
import { maskPhone } from '../../utils/phone';
import type { Db } from '../db';
import { parseInput } from '../validation';
import { findPeople, peopleQuery, type PeoplePage, type PersonRow } from './find-people';
import { isAdmin } from './rules';
import { assertStaff } from './scope';

export const STAFF_PAGE_SIZE = 30;

export type StaffRow = Pick<PersonRow, 'id' | 'name' | 'phone' | 'place' | 'department' | 'roles'>;

/**
 * The staff directory: enabled staff at the viewer's place and below (parties are residents, not
 * staff, and are left out). Phones leave the server masked unless the viewer is an admin, and the
 * search does not match phones, so the full numbers cannot be recovered digit by digit.
 */
export async function listStaff(db: Db, viewer: Viewer, raw: { q?: unknown; page?: unknown } = {}): Promise<PeoplePage<StaffRow>> {
	assertStaff(viewer);
	const { q, page } = parseInput(peopleQuery, raw);
	const found = await findPeople(db, {
		scopePath: viewer.place.path,
		q,
		page,
		pageSize: STAFF_PAGE_SIZE,
		staffOnly: true,
		enabledOnly: true
	});
	const showPhone = isAdmin(viewer);
	return {
		...found,
		items: found.items.map((p) => ({
			id: p.id,
			name: p.name,
			phone: p.phone && (showPhone ? p.phone : maskPhone(p.phone)),
			place: p.place,
			department: p.department,
			roles: p.roles
		}))
	};
}
