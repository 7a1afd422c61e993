import { eq, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { cases, places } from '../db/schema';
import { AppError } from '../errors';
import { mayViewStats } from './rules';

/** The place a dashboard or report covers: the viewer's own area, or a township or village inside it. */
export interface StatsArea {
	id: number;
	kind: 'county' | 'township' | 'village';
	name: string;
	path: string;
	/** Matters that arose in this place (their origin, whoever handles them now). */
	condition: SQL;
	/** The column that splits this place into the places one level down, or null for a village. */
	childColumn: typeof cases.townshipId | typeof cases.villageId | null;
}

const ORIGIN_COLUMN = { county: cases.countyId, township: cases.townshipId, village: cases.villageId } as const;

/**
 * Checks that the viewer may see statistics and resolves the place asked for. A place outside the
 * viewer's area, or one that does not exist, is "not found": the figures cannot be used to probe.
 */
export async function resolveStatsArea(db: Db, viewer: Viewer, placeId: number | null): Promise<StatsArea> {
	if (!mayViewStats(viewer)) throw new AppError('forbidden');
	let place: { id: number; kind: StatsArea['kind']; name: string; path: string } = viewer.place;
	if (placeId != null && placeId !== viewer.place.id) {
		const [row] = await db
			.select({ id: places.id, kind: places.kind, name: places.name, path: places.path })
			.from(places)
			.where(eq(places.id, placeId))
			.limit(1);
		if (!row || row.path === viewer.place.path || !row.path.startsWith(viewer.place.path)) throw new AppError('not_found');
		place = row;
	}
	return {
		...place,
		condition: eq(ORIGIN_COLUMN[place.kind], place.id),
		childColumn: place.kind === 'county' ? cases.townshipId : place.kind === 'township' ? cases.villageId : null
	};
}
