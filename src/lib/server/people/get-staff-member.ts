import type { Viewer } from '../../types';
import type { Db } from '../db';
import { AppError } from '../errors';
import { loadPerson } from './load-person';
import { assertStaff, idOf } from './scope';

/**
 * One entry of the staff directory. A disabled account, a party and anyone outside the viewer's
 * subtree are all `not_found`. The phone is shown in full here, one deliberate look at a time, so
 * that colleagues can call each other; the lists mask it.
 */
export async function getStaffMember(db: Db, viewer: Viewer, raw: unknown) {
	assertStaff(viewer);
	const person = await loadPerson(db, viewer.place.path, idOf(raw));
	if (!person || person.disabledAt || !person.roles.some((r) => r.role !== 'party')) throw new AppError('not_found');
	return {
		id: person.id,
		name: person.name,
		phone: person.phone,
		place: person.place,
		placeTrail: person.placeTrail,
		department: person.department,
		roles: person.roles
	};
}
