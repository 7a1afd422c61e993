import { and, asc, inArray, like } from 'drizzle-orm';
import type { PlaceKind, Viewer } from '../../../types';
import { isAboveCounty } from '../../places/rules';
import type { Db } from '../../db';
import { caseCategories, places } from '../../db/schema';

export interface PlaceOption {
	id: number;
	name: string;
	villages: { id: number; name: string }[];
}

export interface CaseListOptions {
	categories: { id: number; zh: string; en: string }[];
	/** Townships (each with its villages) at or below the viewer's place; empty for a village-level viewer. */
	places: PlaceOption[];
}

/**
 * The choices of the filter form. Inactive categories stay in the list: old matters keep them. Only
 * places inside the viewer's own area are offered (the same check `listCases` applies to the filter).
 */
export async function listFilterOptions(db: Db, viewer: Viewer): Promise<CaseListOptions> {
	// Above the county the choice is counties and their townships (a city's villages run to thousands;
	// the statistics drill down to them); from the county down, townships and their villages.
	const groupKinds: PlaceKind[] = isAboveCounty(viewer.place.kind) ? ['county', 'township'] : ['township', 'village'];
	const [categories, rows] = await Promise.all([
		db
			.select({ id: caseCategories.id, zh: caseCategories.nameZh, en: caseCategories.nameEn })
			.from(caseCategories)
			.orderBy(asc(caseCategories.sortOrder), asc(caseCategories.id)),
		viewer.place.kind === 'village'
			? []
			: db
					.select({ id: places.id, kind: places.kind, parentId: places.parentId, name: places.name })
					.from(places)
					.where(and(like(places.path, `${viewer.place.path}%`), inArray(places.kind, groupKinds)))
					.orderBy(asc(places.id))
	]);
	const groups = new Map<number, PlaceOption>();
	for (const p of rows) if (p.kind === groupKinds[0]) groups.set(p.id, { id: p.id, name: p.name, villages: [] });
	for (const p of rows) if (p.kind === groupKinds[1]) groups.get(p.parentId!)?.villages.push({ id: p.id, name: p.name });
	return { categories, places: [...groups.values()] };
}
