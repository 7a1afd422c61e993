/**
 * Restart acceptance (issue 4): the collaboration server runs as its own process on a database on
 * disk (PGlite in a directory, or a PostgreSQL database), is SIGKILLed while two people type, and is
 * started again on the same database. Every edit the server acknowledged as saved must be in the
 * database (read while the server is down, so no client could have re-sent it) and in every client
 * afterwards; edits a client kept unsaved, including those typed while the server was down, reach
 * the server on reconnect. Runs the app's own wiring of the collaboration server (`startCollab`).
 */
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userColor } from '../../src/lib/shared/user-color';
import { freePort } from '../support/free-port';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { mediationSessions } from '../../src/lib/server/db/schema';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { signInDemoPeople } from '../support/demo-sessions';
import { migratedSnapshot } from '../support/test-db';
import { createAppDatabase, type AppDatabase } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';
import { connectClient, notifyAll, until, type TestClient } from '../support/collab-harness';

const MIGRATIONS = resolve(import.meta.dirname, '../../drizzle');
const ENTRY = 'tests/support/collab-entry.ts';

let database: AppDatabase;
let app: AppProcess | null = null;
const clients: TestClient[] = [];
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};
const names: Record<string, string> = {};
let docName = '';

/** Opens the test's own connection to the app's database; only while the server process is down for PGlite. */
function openAppDatabase(loadDataDir?: Blob): Promise<Database> {
	return openDatabase({ url: database.env.DATABASE_URL || undefined, dataDir: database.env.DATA_DIR ?? '', loadDataDir });
}

async function storedDoc(): Promise<Y.Doc> {
	const own = await openAppDatabase();
	try {
		const { state, updates } = await postgresStore(own.db).load(docName);
		const doc = new Y.Doc();
		if (state) Y.applyUpdate(doc, state);
		for (const u of updates) Y.applyUpdate(doc, u);
		return doc;
	} finally {
		await own.close();
	}
}


async function start(port: number): Promise<void> {
	app = spawnApp({ ...database.env, SEED_DEMO: 'never', PORT: String(port) }, { entry: ENTRY });
	void app.exited.then(() => setImmediate(notifyAll));
	await app.ready;
}

beforeAll(async () => {
	const kind = process.env.TEST_DB_DRIVER === 'postgres' ? 'postgres' : 'pglite';
	database = await createAppDatabase(kind, { label: 'restart', adminUrl: process.env.TEST_DATABASE_URL });
	// Demo data and sign-in sessions are written before the server starts (PGlite allows one process).
	// PGlite starts from the migrated snapshot the other files use: a new cluster on disk costs seconds.
	const own = await openAppDatabase(kind === 'pglite' ? await migratedSnapshot() : undefined);
	try {
		await own.migrate(MIGRATIONS);
		const people = await signInDemoPeople(own.db, ['mediator', 'panelist']);
		Object.assign(ids, people.ids);
		Object.assign(names, people.names);
		Object.assign(tokens, people.tokens);
		const [session] = await own.db.select({ id: mediationSessions.id }).from(mediationSessions).limit(1);
		docName = recordDocName(session.id);
	} finally {
		await own.close();
	}
}, 120_000);

afterAll(async () => {
	while (clients.length) clients.pop()!.destroy();
	await app?.stop('SIGTERM');
	await database?.dispose();
}, 60_000);

const text = (c: TestClient) => c.doc.getText('t').toString();
const ownClock = (c: TestClient) => Y.getState(c.doc.store, c.doc.clientID);

describe('collaboration server restart', () => {
	it('keeps every acknowledged edit through a SIGKILL and takes unsaved edits on reconnect', { timeout: 180_000 }, async () => {
		const port = await freePort();
		const address = { port, origin: `http://127.0.0.1:${port}` };
		await start(port);
		const mediator = connectClient(address, docName, tokens.mediator);
		const panelist = connectClient(address, docName, tokens.panelist);
		clients.push(mediator, panelist);
		await until(() => mediator.provider.synced && panelist.provider.synced, 'both synced', 30_000);

		// The production wiring attests presence: a panelist claiming to be the mediator is shown as
		// the panelist, with their own colour and part in the case.
		panelist.provider.awareness.setLocalStateField('user', { id: ids.mediator, name: '调解员', color: '#000000', role: 'mediator' });
		const shown = () => (mediator.provider.awareness.getStates().get(panelist.doc.clientID) as { user?: Record<string, unknown> } | undefined)?.user;
		await until(() => shown() !== undefined, 'presence', 30_000);
		expect(shown()).toEqual({ id: ids.panelist, name: names.panelist, color: userColor(ids.panelist), role: 'panel_member' });

		// Some typing, all acknowledged.
		for (let i = 0; i < 20; i++) {
			mediator.doc.getText('t').insert(text(mediator).length, '调');
			panelist.doc.getText('t').insert(0, '评');
		}
		await until(() => mediator.isSaved() && panelist.isSaved(), 'first edits saved', 30_000);

		// Mid-editing: a burst goes out and the process is killed as soon as part of it is acknowledged.
		const before = mediator.savedClock();
		for (let i = 0; i < 200; i++) mediator.doc.getText('t').insert(text(mediator).length, String(i % 10));
		await until(() => mediator.savedClock() > before, 'part of the burst acknowledged', 30_000);
		expect(await app!.stop('SIGKILL')).toBeNull();
		await until(() => !mediator.provider.wsconnected && !panelist.provider.wsconnected, 'clients see the server gone', 30_000);

		// Acknowledged means stored: read the database while nothing could re-send anything.
		const saved = { mediator: mediator.savedClock(), panelist: panelist.savedClock() };
		expect(saved.mediator).toBeGreaterThan(before);
		const atKill = await storedDoc();
		expect(Y.getState(atKill.store, mediator.doc.clientID)).toBeGreaterThanOrEqual(saved.mediator);
		expect(Y.getState(atKill.store, panelist.doc.clientID)).toBeGreaterThanOrEqual(saved.panelist);
		atKill.destroy();

		// Typed while the server is down: kept by the client, not acknowledged.
		panelist.doc.getText('t').insert(0, '断线时写的');
		expect(panelist.isSaved()).toBe(false);

		await start(port);
		await until(() => mediator.provider.synced && panelist.provider.synced, 'both reconnected', 60_000);
		await until(() => mediator.isSaved() && panelist.isSaved() && text(mediator) === text(panelist), 'unsaved edits delivered and saved', 60_000);
		expect(text(panelist).startsWith('断线时写的')).toBe(true);

		// Everything is in the database and in a client that opens the record afresh.
		const late = connectClient(address, docName, tokens.mediator);
		clients.push(late);
		await until(() => late.provider.synced && text(late) === text(mediator), 'a new client sees every edit', 30_000);
		expect(await app!.stop('SIGTERM')).toBe(0);
		app = null;
		const stored = await storedDoc();
		expect(stored.getText('t').toString()).toBe(text(mediator));
		expect(Y.getState(stored.store, mediator.doc.clientID)).toBe(ownClock(mediator));
		expect(Y.getState(stored.store, panelist.doc.clientID)).toBe(ownClock(panelist));
		stored.destroy();
	});
});
