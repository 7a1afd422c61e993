import type { Viewer } from '../../types';
import type { Db } from '../db';
import { countyIdOf } from '../places/list-departments';
import { resolveStatsArea } from '../stats/area';
import type { StatsQuery } from '../stats/rules';
import { studioRows } from './load-studios';
import { mayViewStudio, onOneLine } from './rules';
import { studioFigures, type StudioFigures } from './studio-figures';

export interface StudioComparisonRow {
	id: number;
	name: string;
	placeName: string;
	figures: StudioFigures;
}

export interface CompareStudiosOptions {
	/** The day the figures are for (Shanghai date; otherwise today). */
	today?: string;
}

/**
 * The statistics' "by studio" dimension (issue 13 part 1): the studios serving the place the dashboard
 * covers (a studio of that place, of a place above it, or inside it) that the viewer may see, with their
 * figures over the dashboard's period. The figures are `studioFigures`, the studio page's own code, so
 * a studio's row here and its page for the same period say the same. The place is resolved as the
 * dashboard resolves it: one outside the viewer's area is "not found".
 */
export async function compareStudios(db: Db, viewer: Viewer, query: StatsQuery, options: CompareStudiosOptions = {}): Promise<StudioComparisonRow[]> {
	const { today } = options;
	const area = await resolveStatsArea(db, viewer, query.placeId);
	const rows = (await studioRows(db, countyIdOf(viewer))).filter((s) => onOneLine(area.path, s.placePath) && mayViewStudio(viewer, s));
	const figures = await studioFigures(db, rows.map((s) => s.id), { today, period: query.period });
	return rows.map((s) => ({ id: s.id, name: s.name, placeName: s.placeName, figures: figures.get(s.id)! }));
}
