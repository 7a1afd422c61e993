import { asc, eq, like } from 'drizzle-orm';
import type { PlaceKind, Viewer } from '../../types';
import type { Db } from '../db';
import { committeeSeals, places } from '../db/schema';
import { AppError } from '../errors';

export interface SealRow {
	placeId: number;
	name: string;
	kind: PlaceKind;
	depth: number;
	uploadedAt: Date | null;
	sha256: string | null;
}

/** Places at or below the admin's own, each with its committee seal if one was uploaded. */
export async function listSeals(db: Db, actor: Viewer): Promise<SealRow[]> {
	if (!actor.roles.some((r) => r.role === 'admin')) throw new AppError('forbidden');
	const rows = await db
		.select({ placeId: places.id, name: places.name, kind: places.kind, path: places.path, uploadedAt: committeeSeals.uploadedAt, sha256: committeeSeals.imageSha256 })
		.from(places)
		.leftJoin(committeeSeals, eq(committeeSeals.placeId, places.id))
		.where(like(places.path, `${actor.place.path}%`))
		.orderBy(asc(places.path));
	return rows.map(({ path, ...r }) => ({ ...r, depth: path.split('/').length - 2 }));
}

/** A place's seal image, for an admin whose scope covers it. */
export async function getSeal(db: Db, actor: Viewer, rawPlaceId: unknown): Promise<Uint8Array> {
	if (!actor.roles.some((r) => r.role === 'admin')) throw new AppError('forbidden');
	const id = Number(rawPlaceId);
	if (!Number.isSafeInteger(id)) throw new AppError('not_found');
	const [row] = await db
		.select({ image: committeeSeals.image, path: places.path })
		.from(committeeSeals)
		.innerJoin(places, eq(places.id, committeeSeals.placeId))
		.where(eq(committeeSeals.placeId, id));
	if (!row || !row.path.startsWith(actor.place.path)) throw new AppError('not_found');
	return row.image;
}
