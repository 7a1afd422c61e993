import { and, eq, isNull, like, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { assertAdmin } from '../auth/roles';
import type { Db } from '../db';
import { places } from '../db/schema';
import { AppError } from '../errors';
import { idOf, parseInput } from '../validation';
import { nameSchema, scopePattern } from './rules';

export const renamePlaceInput = z.object({ name: nameSchema });

export interface RenamePlaceOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Renames a place in the actor's subtree; a place elsewhere is `not_found`. Names are unique among siblings. */
export async function renamePlace(db: Db, actor: Viewer, raw: unknown, options: RenamePlaceOptions = {}) {
	const { ip } = options;
	assertAdmin(actor);
	const id = idOf(raw);
	const { name } = parseInput(renamePlaceInput, raw);
	await db.transaction(async (tx) => {
		const [place] = await tx
			.select({ id: places.id, name: places.name, parentId: places.parentId })
			.from(places)
			.where(and(eq(places.id, id), like(places.path, scopePattern(actor))))
			.for('update')
			.limit(1);
		if (!place) throw new AppError('not_found');
		if (place.name === name) return;
		const [dupe] = await tx
			.select({ id: places.id })
			.from(places)
			.where(
				and(
					place.parentId == null ? isNull(places.parentId) : eq(places.parentId, place.parentId),
					eq(places.name, name),
					ne(places.id, id)
				)
			)
			.limit(1);
		if (dupe) throw new AppError('conflict', { name: 'err_place_name_taken' });
		await tx.update(places).set({ name }).where(eq(places.id, id));
		await recordAudit(tx, { action: 'place.update', actorId: actor.id, subjectType: 'place', subjectId: id, ip, data: { name, previousName: place.name } });
	});
}
