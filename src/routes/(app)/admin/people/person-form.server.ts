import type { Viewer } from '$lib/types';
import type { Db } from '$lib/server/db';
import { managesCounty, PANELIST_TYPES, ROLES } from '$lib/server/people/rules';
import { listDepartments } from '$lib/server/places/list-departments';
import { flattenPlaces, listPlaces } from '$lib/server/places/list-places';

/** What the person form offers: the places in the admin's area and the county's departments. */
export async function personFormOptions(db: Db, actor: Viewer) {
	const [tree, departments] = await Promise.all([listPlaces(db, actor), listDepartments(db, actor)]);
	return { places: flattenPlaces(tree), departments, roles: ROLES, panelistTypes: PANELIST_TYPES, canSetDepartment: managesCounty(actor) };
}

/** The person fields of a submitted form, as the use cases take them. */
export function personInput(values: Record<string, string | string[]>) {
	return {
		name: values.name,
		username: values.username,
		phone: values.phone,
		placeId: values.placeId,
		departmentId: values.departmentId,
		roles: values.roles,
		panelistType: values.panelistType
	};
}
