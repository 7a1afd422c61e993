import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { PlaceKind, Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db, Tx } from '../db';
import { places } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { childKindOf, nameSchema } from './rules';

export const createPlaceInput = z.object({
	name: nameSchema,
	parentId: z.coerce.number({ message: 'err_required' }).int().positive('err_required').nullable(),
	/** The kind of a new root (setup code only): a province, a city or a county. Below a parent it follows from the parent. */
	kind: z.enum(['province', 'city', 'county']).optional()
});

export interface CreatePlaceOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Adds a place under a parent the actor may manage (its own place or below: a county admin cannot add
 * anything outside their county). The kind follows from the parent (province → city → county →
 * township → village), so a village under a village cannot be expressed. A new root (a county, a city
 * or a province, no parent) needs an actor with no scope limit, i.e. setup code with `actor: null`.
 */
export async function createPlace(db: Db | Tx, actor: Viewer | null, raw: unknown, options: CreatePlaceOptions = {}) {
	const { ip } = options;
	const input = parseInput(createPlaceInput, raw);
	return db.transaction(async (tx) => {
		let kind: PlaceKind = input.kind ?? 'county';
		let parentPath = '/';
		if (input.parentId != null) {
			const [parent] = await tx
				.select({ id: places.id, kind: places.kind, path: places.path })
				.from(places)
				.where(eq(places.id, input.parentId))
				.limit(1);
			if (!parent || (actor && !parent.path.startsWith(actor.place.path))) throw new AppError('not_found', { parentId: 'err_place_not_found' });
			const child = childKindOf(parent.kind);
			if (!child) throw new AppError('invalid', { parentId: 'err_village_has_no_children' });
			kind = child;
			parentPath = parent.path;
		} else if (actor) {
			throw new AppError('forbidden');
		}
		const [dupe] = await tx
			.select({ id: places.id })
			.from(places)
			.where(
				input.parentId == null
					? sql`${places.parentId} is null and ${places.name} = ${input.name}`
					: sql`${places.parentId} = ${input.parentId} and ${places.name} = ${input.name}`
			)
			.limit(1);
		if (dupe) throw new AppError('conflict', { name: 'err_place_name_taken' });
		const [row] = await tx.insert(places).values({ kind, name: input.name, parentId: input.parentId }).returning({ id: places.id });
		const path = `${parentPath}${row.id}/`;
		await tx.update(places).set({ path }).where(eq(places.id, row.id));
		await recordAudit(tx, {
			action: 'place.create',
			actorId: actor?.id ?? null,
			subjectType: 'place',
			subjectId: row.id,
			ip,
			data: { name: input.name, kind, parentId: input.parentId }
		});
		return { id: row.id, kind, path };
	});
}
