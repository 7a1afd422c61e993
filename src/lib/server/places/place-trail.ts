import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { places } from '../db/schema';

/** The place ids in a path such as `/1/4/17/`, county first. */
export function pathIds(path: string): number[] {
	return path.split('/').filter(Boolean).map(Number);
}

/** Names from the county down to the place at `path`, e.g. ["永修县", "涂埠镇", "城南村"]. */
export async function placeTrail(db: Db, path: string): Promise<string[]> {
	const ids = pathIds(path);
	const rows = await db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, ids));
	const names = new Map(rows.map((p) => [p.id, p.name]));
	return ids.map((id) => names.get(id) ?? '');
}
