import { count, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { auditLog, caseParties, collabUpdates, documentVersions, mediationSessions, panelMembers, places, users } from '../../src/lib/server/db/schema';
import { createSession } from '../../src/lib/server/auth/session';
import { recordDocName, recordDocumentAccess } from '../../src/lib/server/mediation/document-access';
import { recordBlocks } from '../../src/lib/server/mediation/versions/record-document';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { RECORD_FIELD } from '../../src/lib/shared/record-schema';
import type { Viewer } from '../../src/lib/types';
import { connectClient, startCollab, type Harness, type TestClient } from '../support/collab-harness';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { codedRefusalOf } from '../support/app-error';

/**
 * The demo county with one case in 城南村: the demo mediator (涂埠镇) edits its records, the demo
 * panelist sits on its panel with no conflict, the demo party is its applicant; the 虬津村 villager
 * may not see it. Two sessions, so a version of one record can be tried against the other.
 */
export interface VersionsWorld {
	t: TestDatabase;
	v: Record<string, Viewer>;
	caseId: number;
	sessionIds: [number, number];
}

export async function setUpVersions(): Promise<VersionsWorld> {
	const t = await createTestDatabase('demo');
	const v: Record<string, Viewer> = {};
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) v[u.username!] = (await loadViewer(t.db, u.id))!;
	const [village] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '城南村'));
	const { id: caseId } = await fileCase(t.db, v.villager, {
		channel: 'walk_in',
		categoryId: 3,
		placeId: village.id,
		title: '宅基地边界纠纷',
		description: '围墙越界',
		parties: [{ side: 'applicant', name: '孙大伯' }]
	});
	await t.db.update(caseParties).set({ userId: v.party.id }).where(eq(caseParties.caseId, caseId));
	await t.db.insert(panelMembers).values({
		caseId,
		userId: v.panelist.id,
		memberType: 'veteran_party_member',
		invitedById: v.mediator.id,
		invitedAt: new Date(),
		partiesConsent: '双方当事人当面口头同意',
		conflict: 'no_conflict',
		declaredAt: new Date()
	});
	const sessions = await t.db
		.insert(mediationSessions)
		.values([1, 2].map((seq) => ({ caseId, seq, scheduledAt: new Date(), location: '城南村调解室', createdById: v.mediator.id })))
		.returning({ id: mediationSessions.id });
	return { t, v, caseId, sessionIds: [sessions[0].id, sessions[1].id] };
}

/** Appends, as an editor would, one paragraph per text to a document's stored log (one update each). */
export async function storeParagraphs(t: TestDatabase, sessionId: number, texts: string[]): Promise<void> {
	const docName = recordDocName(sessionId);
	const doc = await storedDoc(t, sessionId);
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (const text of texts) appendParagraph(doc, text);
	await postgresStore(t.db).append(docName, updates);
	doc.destroy();
}

export function appendParagraph(doc: Y.Doc, text: string): void {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	const fragment = doc.getXmlFragment(RECORD_FIELD);
	fragment.insert(fragment.length, [p]);
}

export async function storedDoc(t: TestDatabase, sessionId: number): Promise<Y.Doc> {
	const { state, updates } = await postgresStore(t.db).load(recordDocName(sessionId));
	const doc = new Y.Doc();
	if (state) Y.applyUpdate(doc, state);
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc;
}

export async function storedText(t: TestDatabase, sessionId: number): Promise<string[]> {
	const doc = await storedDoc(t, sessionId);
	const texts = recordBlocks(doc).map((b) => b.text);
	doc.destroy();
	return texts;
}

export async function counts(t: TestDatabase) {
	const n = async (table: typeof auditLog | typeof documentVersions | typeof collabUpdates) => (await t.db.select({ n: count() }).from(table))[0].n;
	return { audit: await n(auditLog), versions: await n(documentVersions), updates: await n(collabUpdates) };
}

/** 'ok', or the AppError's code, or (for invalid/conflict) its code and fields. */
export const outcome = codedRefusalOf;

/**
 * A real collaboration server on port 0 over the world's database, with the production document
 * policy, and real y-websocket clients signed in as demo users.
 */
export interface LiveRecords {
	h: Harness;
	open(sessionId: number, username: string): TestClient;
	/** Disconnects every client opened so far (after each test). */
	closeClients(): void;
	close(): Promise<void>;
}

export async function startLiveRecords(w: VersionsWorld, usernames: string[]): Promise<LiveRecords> {
	const tokens: Record<string, string> = {};
	for (const who of usernames) tokens[who] = (await createSession(w.t.db, w.v[who].id)).token;
	const h = await startCollab(w.t.db, recordDocumentAccess);
	const clients: TestClient[] = [];
	return {
		h,
		open(sessionId, username) {
			const c = connectClient(h, recordDocName(sessionId), tokens[username]);
			clients.push(c);
			return c;
		},
		closeClients() {
			while (clients.length) clients.pop()!.destroy();
		},
		close: () => h.close()
	};
}
