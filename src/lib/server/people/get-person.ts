import type { Viewer } from '../../types';
import type { Db } from '../db';
import { AppError } from '../errors';
import { loadPerson } from './load-person';
import { assertAdmin, idOf } from './scope';

/** One person for the admin's edit page; `not_found` when missing or outside the admin's subtree. */
export async function getPerson(db: Db, actor: Viewer, raw: unknown) {
	assertAdmin(actor);
	const person = await loadPerson(db, actor.place.path, idOf(raw));
	if (!person) throw new AppError('not_found');
	return person;
}
