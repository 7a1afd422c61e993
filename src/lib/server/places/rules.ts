import type { PlaceKind, Viewer } from '../../types';
import { lineText } from '../validation';

/** The levels from the top down (issue 21 puts the city and the province above the county). */
export const PLACE_LEVELS: readonly PlaceKind[] = ['province', 'city', 'county', 'township', 'village'];

/** The only shape the tree may take: province → city → county → township → village, nothing below a village. */
export function childKindOf(kind: PlaceKind): PlaceKind | null {
	return PLACE_LEVELS[PLACE_LEVELS.indexOf(kind) + 1] ?? null;
}

/** The level above: a county escalates to its city, a city to its province. */
export function parentKindOf(kind: PlaceKind): PlaceKind | null {
	return PLACE_LEVELS[PLACE_LEVELS.indexOf(kind) - 1] ?? null;
}

/**
 * The id of each place on a place's path by its level, e.g. a village under a county under a city
 * → { city, county, township, village }. The path ends at the place, so the level of every id above it
 * follows from the place's own kind, whatever the root of its tree is.
 */
export function levelIds(place: { kind: PlaceKind; path: string }): Partial<Record<PlaceKind, number>> {
	const ids = place.path.split('/').filter(Boolean).map(Number);
	const rank = PLACE_LEVELS.indexOf(place.kind);
	const out: Partial<Record<PlaceKind, number>> = {};
	ids.forEach((id, i) => {
		const kind = PLACE_LEVELS[rank - (ids.length - 1 - i)];
		if (kind) out[kind] = id;
	});
	return out;
}

/**
 * The county a place belongs to (the place itself for a county). Above the county — a city or a
 * province — the place itself stands in: its departments, like a county's, hang on it.
 */
export function countyIdOfPlace(place: { id: number; kind: PlaceKind; path: string }): number {
	return levelIds(place).county ?? place.id;
}

/** Whether staff at this kind of place work above the county (a city's or a province's bureau). */
export function isAboveCounty(kind: PlaceKind): boolean {
	return kind === 'city' || kind === 'province';
}

/** A display name: trimmed, NFC, 1–60 characters, no control characters. */
export const nameSchema = lineText(60);

/** The `path` pattern of the actor's subtree. Paths hold only digits and slashes: no LIKE wildcards. */
export function scopePattern(actor: Viewer): string {
	return `${actor.place.path}%`;
}

export function inScope(actor: Viewer, placePath: string): boolean {
	return placePath.startsWith(actor.place.path);
}
