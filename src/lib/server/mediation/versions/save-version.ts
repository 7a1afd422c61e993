import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { AppError } from '../../errors';
import { createVersion, type CreateVersionOptions } from './create-version';
import { recordAccess } from './get-record-session';

/**
 * "Save a version" by someone who edits the record: a snapshot of what is stored now, under a name
 * they choose. Readers (parties, observers) may not; people who may not see the case get `not_found`.
 */
export async function saveVersion(
	db: Db,
	actor: Viewer,
	input: { sessionId: number; name: unknown },
	options: CreateVersionOptions
): Promise<{ id: number; name: string }> {
	const { docName, access } = await recordAccess(db, actor, input.sessionId);
	if (access !== 'write') throw new AppError('forbidden');
	const name = typeof input.name === 'string' ? input.name : '';
	const { id } = await createVersion(db, { docName, name, automatic: false, actorId: actor.id }, options);
	return { id, name: name.trim() };
}
