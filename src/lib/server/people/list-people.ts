import type { Viewer } from '../../types';
import type { Db } from '../db';
import { parseInput } from '../validation';
import { findPeople, peopleQuery, type PeopleQuery } from './find-people';
import { assertAdmin } from './scope';

export const PEOPLE_PAGE_SIZE = 20;

/**
 * The admin's people list: everyone at the admin's place and below, disabled accounts included,
 * searchable by name, username or phone.
 */
export async function listPeople(db: Db, actor: Viewer, raw: PeopleQuery = {}) {
	assertAdmin(actor);
	const { q, page } = parseInput(peopleQuery, raw);
	return findPeople(db, { scopePath: actor.place.path, q, page, pageSize: PEOPLE_PAGE_SIZE, searchPhone: true });
}
