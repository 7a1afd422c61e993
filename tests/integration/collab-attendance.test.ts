/**
 * Attendance is recorded when people join (issue 4): opening a session's live record while the
 * session is under way records the person, and starting a session records everyone who already has
 * its record open. Runs the app's own policies of the collaboration server (`appPolicies`).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appPolicies } from '../../src/lib/server/start-collab';
import { mediationSessions, sessionAttendance } from '../../src/lib/server/db/schema';
import { logger } from '../../src/lib/server/logger';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { startSession } from '../../src/lib/server/mediation/sessions/change-session';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { connectClient, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { signInDemoPeople } from '../support/demo-sessions';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let h: Harness;
let sessionId = 0;
const ids: Record<string, number> = {};
const tokens: Record<string, string> = {};
const clients: TestClient[] = [];

beforeAll(async () => {
	t = await createTestDatabase('demo');
	const people = await signInDemoPeople(t.db);
	Object.assign(ids, people.ids);
	Object.assign(tokens, people.tokens);
	[{ id: sessionId }] = await t.db.select({ id: mediationSessions.id }).from(mediationSessions).limit(1);
	h = await startCollab(t.db, appPolicies(logger));
});
afterEach(() => {
	while (clients.length) clients.pop()!.destroy();
});
afterAll(async () => {
	await h.close();
	await t.destroy();
});

const join = async (who: string) => {
	const c = connectClient(h, recordDocName(sessionId), tokens[who]);
	clients.push(c);
	await until(() => c.provider.synced, `${who} joined`);
	return c;
};
const attendance = () =>
	t.db
		.select({ userId: sessionAttendance.userId, capacity: sessionAttendance.capacity, remote: sessionAttendance.remote })
		.from(sessionAttendance)
		.where(eq(sessionAttendance.sessionId, sessionId));

describe('attendance when people join the live record', () => {
	it('records nobody before the session starts, everyone already in the record when it starts, then each newcomer once', async () => {
		await join('panelist');
		expect(await attendance()).toEqual([]);

		await startSession(t.db, (await loadViewer(t.db, ids.mediator))!, { sessionId }, { collab: h.collab });
		// The demo session is held in a room with remote joining too: the panelist joined from afar.
		expect(await attendance()).toEqual([{ userId: ids.panelist, capacity: 'veteran_party_member', remote: true }]);

		await join('mediator');
		await join('party');
		await join('party');
		expect(await attendance()).toHaveLength(3);
		const rows = await t.db
			.select({ capacity: sessionAttendance.capacity, remote: sessionAttendance.remote })
			.from(sessionAttendance)
			.where(and(eq(sessionAttendance.sessionId, sessionId), eq(sessionAttendance.userId, ids.party)));
		expect(rows).toEqual([{ capacity: 'party', remote: true }]);
		const [mediator] = (await attendance()).filter((a) => a.userId === ids.mediator);
		expect(mediator).toEqual({ userId: ids.mediator, capacity: 'mediator', remote: false });
	});
});
