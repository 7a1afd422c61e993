import { createSession } from '../../src/lib/server/auth/session';
import type { Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/seed/demo';

/** The demo county's people by login name: id, display name and a fresh session token each. */
export interface DemoPeople {
	ids: Record<string, number>;
	names: Record<string, string>;
	tokens: Record<string, string>;
}

/**
 * Loads the demo county into an empty database and signs in the demo people (`only`: just these),
 * as the collaboration tests' clients connect with session cookies.
 */
export async function signInDemoPeople(db: Db, only?: string[]): Promise<DemoPeople> {
	await seedDemo(db, { onlyIfEmpty: true });
	const people: DemoPeople = { ids: {}, names: {}, tokens: {} };
	for (const u of await db.select({ id: users.id, username: users.username, name: users.name }).from(users)) {
		const login = u.username!;
		if (only && !only.includes(login)) continue;
		people.ids[login] = u.id;
		people.names[login] = u.name;
		people.tokens[login] = (await createSession(db, u.id)).token;
	}
	return people;
}
