import { eq, type SQL } from 'drizzle-orm';
import type { PlaceKind, Viewer } from '../../types';
import { originColumn } from '../cases/scope';
import { childKindOf } from '../places/rules';
import type { Db } from '../db';
import { places } from '../db/schema';
import { AppError } from '../errors';
import { mayViewStats } from './rules';

/**
 * The place a dashboard or report covers: the viewer's own area, or a place inside it (a county of a
 * city, a township, a village), split into the places one level down.
 */
export interface StatsArea {
	id: number;
	kind: PlaceKind;
	name: string;
	path: string;
	/** Matters that arose in this place (their origin, whoever handles them now). */
	condition: SQL;
	/** The column that splits this place into the places one level down, or null for a village. */
	childColumn: ReturnType<typeof originColumn> | null;
}

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
	const childKind = childKindOf(place.kind);
	return {
		...place,
		condition: eq(originColumn(place.kind), place.id),
		childColumn: childKind ? originColumn(childKind) : null
	};
}
