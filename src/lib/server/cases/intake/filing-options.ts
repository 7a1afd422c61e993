import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { PLACE_LEVELS } from '../../places/rules';
import type { PlaceKind, Viewer } from '../../../types';
import type { Db } from '../../db';
import { caseCategories, places } from '../../db/schema';
import { CHANNELS, type Channel } from './rules';
import { channelFor } from './file-case';

export interface FilingOptions {
	/** The channel fixed by the filer's role (agents, grid workers), or null when they choose. */
	fixedChannel: Channel | null;
	/** Channels staff may choose: not the two that name who filed. */
	channels: Channel[];
	categories: { id: number; nameZh: string; nameEn: string }[];
	/** Townships and villages at or below the filer's place, in tree order. */
	places: { id: number; name: string; kind: PlaceKind; depth: number }[];
}

/** Choices for the intake form of this filer. */
export async function filingOptions(db: Db, viewer: Viewer): Promise<FilingOptions> {
	const forced = channelFor(viewer, 'walk_in');
	const [categories, placeRows] = await Promise.all([
		db
			.select({ id: caseCategories.id, nameZh: caseCategories.nameZh, nameEn: caseCategories.nameEn })
			.from(caseCategories)
			.where(eq(caseCategories.active, true))
			.orderBy(asc(caseCategories.sortOrder), asc(caseCategories.id)),
		db
			.select({ id: places.id, name: places.name, kind: places.kind, path: places.path })
			.from(places)
			.where(and(like(places.path, `${viewer.place.path}%`), inArray(places.kind, ['township', 'village'])))
			.orderBy(asc(places.path))
	]);
	return {
		fixedChannel: forced === 'walk_in' ? null : forced,
		channels: CHANNELS.filter((c) => c !== 'agent' && c !== 'grid_report'),
		categories,
		places: placeRows.map((p) => ({ id: p.id, name: p.name, kind: p.kind, depth: PLACE_LEVELS.indexOf(p.kind) - 1 }))
	};
}
