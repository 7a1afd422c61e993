import { count, eq } from 'drizzle-orm';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession, invalidateSession } from '../../src/lib/server/auth/session';
import type { DocumentPolicy } from '../../src/lib/server/collab/app-auth';
import { CLOSE } from '../../src/lib/server/collab/connection';
import { postgresStore, type CollabStore } from '../../src/lib/server/collab/persistence';
import { MSG_SYNC } from '../../src/lib/server/collab/protocol';
import { collabDocuments, collabUpdates } from '../../src/lib/server/db/schema';
import { connectClient, notifyAll, rawSocket, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { signInDemoPeople } from '../support/demo-sessions';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let h: Harness;
const ids: Record<string, number> = {};
const names: Record<string, string> = {};
const tokens: Record<string, string> = {};
/** docName → userId → access; tests change it to simulate joining and leaving a case. */
const grants = new Map<string, Map<number, 'write' | 'read'>>();
const events: string[] = [];
let gate: Promise<void> | null = null;
const policy: DocumentPolicy = async (_db, viewer, doc) => {
	if (doc.name.startsWith('slow') && gate) await gate;
	return grants.get(doc.name)?.get(viewer.id) ?? null;
};
const clients: TestClient[] = [];
const open = (doc: string, who: string | null, opts?: { connect?: boolean }) => {
	const c = connectClient(h, doc, who ? tokens[who] : null, opts);
	clients.push(c);
	return c;
};
const grant = (doc: string, entries: Record<string, 'write' | 'read'>) =>
	grants.set(doc, new Map(Object.entries(entries).map(([who, a]) => [ids[who], a])));

beforeAll(async () => {
	t = await createTestDatabase('demo');
	const people = await signInDemoPeople(t.db);
	Object.assign(ids, people.ids);
	Object.assign(names, people.names);
	Object.assign(tokens, people.tokens);
	h = await startCollab(t.db, policy, {}, events);
});
afterEach(() => {
	while (clients.length) clients.pop()!.destroy();
});
afterAll(async () => {
	await h.close();
	await t.destroy();
});

const text = (c: TestClient) => c.doc.getText('t').toString();

describe('collaboration server', () => {
	it('syncs two editors, acknowledges stored edits and persists them', async () => {
		grant('doc-a', { mediator: 'write', panelist: 'write' });
		const a = open('doc-a', 'mediator');
		const b = open('doc-a', 'panelist');
		await until(() => a.provider.synced && b.provider.synced, 'sync');
		a.doc.getText('t').insert(0, '申请人陈述：');
		b.doc.getText('t').insert(0, '评理员：');
		await until(() => text(a) === text(b) && text(a).length === 10, 'convergence');
		await until(() => a.isSaved() && b.isSaved(), 'saved acks');
		const stored = postgresStore(t.db);
		const fresh = new Y.Doc();
		const { state, updates } = await stored.load('doc-a');
		if (state) Y.applyUpdate(fresh, state);
		for (const u of updates) Y.applyUpdate(fresh, u);
		expect(fresh.getText('t').toString()).toBe(text(a));
	});

	it('reports updates in and out and the saved-ack latency for the metrics', async () => {
		const seen = { in: 0, out: 0, acks: [] as number[] };
		const counted = await startCollab(t.db, policy, {}, [], {
			updateIn: () => seen.in++,
			updatesOut: (peers) => (seen.out += peers),
			savedAck: (ms) => seen.acks.push(ms)
		});
		try {
			grant('doc-metrics', { mediator: 'write', panelist: 'write' });
			const a = connectClient(counted, 'doc-metrics', tokens.mediator);
			const b = connectClient(counted, 'doc-metrics', tokens.panelist);
			clients.push(a, b);
			await until(() => a.provider.synced && b.provider.synced, 'sync');
			for (let i = 0; i < 5; i++) a.doc.getText('t').insert(0, '记');
			await until(() => a.isSaved() && text(b).length === 5, 'saved and relayed');
			expect(seen.in).toBeGreaterThanOrEqual(1);
			// Every fan-out carrying the edits went to both connections.
			expect(seen.out).toBeGreaterThanOrEqual(2);
			expect(seen.out % 2).toBe(0);
			expect(seen.acks.length).toBeGreaterThanOrEqual(1);
			expect(seen.acks.every((ms) => ms >= 0 && ms < 30_000)).toBe(true);
		} finally {
			while (clients.length) clients.pop()!.destroy();
			await counted.close();
		}
	});

	it('acknowledges on connect the edits stored before an acknowledgement could be sent', async () => {
		grant('doc-lost-ack', { mediator: 'write' });
		// Edits a client made and the server stored, but whose acknowledgement never arrived (the server
		// died between storing and answering): on reconnect they add nothing new to store.
		const c = open('doc-lost-ack', 'mediator', { connect: false });
		c.doc.getText('t').insert(0, '已保存但未确认');
		await postgresStore(t.db).append('doc-lost-ack', [Y.encodeStateAsUpdate(c.doc)]);
		expect(c.isSaved()).toBe(false);
		c.provider.connect();
		await until(() => c.provider.synced && c.isSaved(), 'saved acknowledged on connect');
		expect(c.savedClock()).toBe(Y.getState(c.doc.store, c.doc.clientID));
	});

	it('acknowledges a writer whose edits another client delivered and stored first', async () => {
		grant('doc-relayed-own', { mediator: 'write', panelist: 'write' });
		// The mediator typed and the panelist saw it, but the server died before storing it. After the
		// restart the panelist is back first and delivers the mediator's edits; the mediator's own sync
		// then adds nothing new, yet he must be told once they are stored (appends wait for a gate here).
		const store = postgresStore(t.db);
		let release = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		let appending = false;
		const gated: CollabStore = {
			...store,
			async append(...args) {
				appending = true;
				setImmediate(notifyAll);
				await gate;
				return store.append(...args);
			}
		};
		const slow = await startCollab(t.db, policy, {}, [], undefined, { store: gated });
		try {
			const mediator = connectClient(slow, 'doc-relayed-own', tokens.mediator, { connect: false });
			const panelist = connectClient(slow, 'doc-relayed-own', tokens.panelist, { connect: false });
			clients.push(mediator, panelist);
			mediator.doc.getText('t').insert(0, '调解员断线前写的');
			Y.applyUpdate(panelist.doc, Y.encodeStateAsUpdate(mediator.doc));
			panelist.provider.connect();
			await until(() => appending, "the mediator's edits on their way to the store");
			mediator.provider.connect();
			await until(() => mediator.provider.synced, 'mediator synced');
			expect(mediator.isSaved()).toBe(false);
			release();
			await until(() => mediator.isSaved() && panelist.isSaved(), 'both told once stored');
			expect(mediator.savedClock()).toBe(Y.getState(mediator.doc.store, mediator.doc.clientID));
		} finally {
			release();
			while (clients.length) clients.pop()!.destroy();
			await slow.close();
		}
	});

	it('converges five clients through random edits and random disconnects', async () => {
		grant('doc-five', { mediator: 'write', panelist: 'write', advisor: 'write', villager: 'write', supervisor: 'write' });
		const five = ['mediator', 'panelist', 'advisor', 'villager', 'supervisor'].map((who) => open('doc-five', who));
		await until(() => five.every((c) => c.provider.synced), 'initial sync');
		let seed = 42;
		const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
		for (let round = 0; round < 60; round++) {
			const c = five[rand(5)];
			const ytext = c.doc.getText('t');
			if (rand(4) === 0 && ytext.length > 0) ytext.delete(rand(ytext.length), 1);
			else ytext.insert(rand(ytext.length + 1), '调解'[rand(2)]);
			if (rand(10) === 0) c.provider.disconnect();
			if (rand(6) === 0) five[rand(5)].provider.connect();
		}
		for (const c of five) c.provider.connect();
		await until(() => five.every((c) => c.provider.synced && text(c) === text(five[0])), 'five-way convergence');
		await until(() => five.every((c) => c.isSaved()), 'all saved');
	});

	it('refuses an unknown user and a user without a role on the document, sending no document content', async () => {
		grant('doc-secret', { mediator: 'write' });
		const writer = open('doc-secret', 'mediator');
		await until(() => writer.provider.synced, 'writer sync');
		writer.doc.getText('t').insert(0, '秘密笔录');
		await until(() => writer.isSaved(), 'saved');
		for (const who of [null, 'party']) {
			const raw = rawSocket(h, 'doc-secret', who ? tokens[who] : null);
			await until(() => raw.closed() !== null, 'refusal');
			expect(raw.closed()!.code).toBe(CLOSE.forbidden);
			expect(raw.frames.some((f) => f[0] === MSG_SYNC)).toBe(false);
			expect(Buffer.concat(raw.frames).toString()).not.toContain('秘密');
		}
	});

	it('refuses an upgrade from another origin before opening the socket', async () => {
		grant('doc-origin', { mediator: 'write' });
		const evil = rawSocket({ port: h.port, origin: 'https://evil.example' }, 'doc-origin', tokens.mediator);
		await until(() => evil.closed() !== null, 'refusal');
		expect(evil.closed()!.code).toBe(403);
	});

	it('drops updates from a read-only connection and never applies or relays them', async () => {
		grant('doc-ro', { mediator: 'write', party: 'read' });
		const writer = open('doc-ro', 'mediator');
		const reader = open('doc-ro', 'party');
		await until(() => writer.provider.synced && reader.provider.synced, 'sync');
		writer.doc.getText('t').insert(0, '调解员记录');
		await until(() => text(reader) === '调解员记录', 'reader sees the record live');
		const before = events.filter((e) => e === 'read_only_update_dropped').length;
		reader.doc.getText('t').insert(0, '当事人篡改');
		await until(() => events.filter((e) => e === 'read_only_update_dropped').length > before, 'drop logged');
		writer.doc.getText('t').insert(text(writer).length, '。');
		await until(() => text(reader).endsWith('。'), 'later edit arrives');
		expect(text(writer)).toBe('调解员记录。');
		await until(() => writer.isSaved(), 'stored');
		const [{ n }] = await t.db.select({ n: count() }).from(collabUpdates).where(eq(collabUpdates.docName, 'doc-ro'));
		const fresh = new Y.Doc();
		for (const u of (await postgresStore(t.db).load('doc-ro')).updates) Y.applyUpdate(fresh, u);
		expect(n).toBeGreaterThan(0);
		expect(fresh.getText('t').toString()).toBe('调解员记录。');
	});

	it('closes the socket of someone removed from the case, and of someone who signs out', async () => {
		grant('doc-rm', { mediator: 'write', panelist: 'write', advisor: 'write' });
		const removed = rawSocket(h, 'doc-rm', tokens.panelist);
		const { token, session } = await createSession(t.db, ids.advisor);
		const signedOut = rawSocket(h, 'doc-rm', token);
		await until(() => removed.frames.length > 0 && signedOut.frames.length > 0, 'both joined');
		grants.get('doc-rm')!.delete(ids.panelist);
		await invalidateSession(t.db, session.id);
		// Revalidation runs every 200 ms here (every 2 s in production): well within 5 s.
		await until(() => removed.closed() !== null && signedOut.closed() !== null, 'both closed', 5_000);
		expect(removed.closed()!.code).toBe(CLOSE.forbidden);
		expect(signedOut.closed()!.code).toBe(CLOSE.forbidden);
	});

	it('shows each connection as the person it signed in as, whatever user it claims', async () => {
		grant('doc-who', { mediator: 'write', panelist: 'write' });
		const honest = open('doc-who', 'mediator');
		const impostor = open('doc-who', 'panelist');
		await until(() => honest.provider.synced && impostor.provider.synced, 'sync');
		const real = { id: ids.mediator, name: names.mediator };
		honest.provider.awareness.setLocalStateField('user', real);
		impostor.provider.awareness.setLocalState({ user: { ...real, color: '#000000' }, cursor: { anchor: 3, head: 3 } });
		const seen = (by: TestClient, of: TestClient) => by.provider.awareness.getStates().get(of.doc.clientID) as { user?: unknown; cursor?: unknown } | undefined;
		await until(() => seen(honest, impostor)?.cursor !== undefined && seen(impostor, honest)?.user !== undefined, 'presence exchanged');
		// The impostor's caret stays, under its own name; the honest user is shown as they published.
		expect(seen(honest, impostor)).toEqual({ user: { id: ids.panelist, name: names.panelist }, cursor: { anchor: 3, head: 3 } });
		expect(seen(impostor, honest)!.user).toEqual(real);
		expect(h.collab.registry.docs.has('doc-who')).toBe(true);
		const server = await h.collab.registry.docs.get('doc-who')!;
		expect(server.awareness.getStates().get(impostor.doc.clientID)!.user).toEqual({ id: ids.panelist, name: names.panelist });
	});

	describe('hostile frames close only that connection', () => {
		const frame = (write: (e: encoding.Encoder) => void) => {
			const e = encoding.createEncoder();
			write(e);
			return encoding.toUint8Array(e);
		};
		const hostile: [string, Uint8Array][] = [
			['an unknown message type', frame((e) => encoding.writeVarUint(e, 99))],
			['a truncated varint', new Uint8Array([0x80])],
			[
				'an update declaring a huge length',
				frame((e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint(e, 2);
					encoding.writeVarUint(e, 2 ** 31);
				})
			],
			['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 7919 + 13) % 256)],
			[
				'a sync update that is not a Yjs update',
				frame((e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint(e, 2);
					encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 1, 9, 9, 9]));
				})
			],
			['a frame over the size limit', new Uint8Array(3 * 1024 * 1024)]
		];
		for (const [name, bytes] of hostile) {
			it(name, async () => {
				grant('doc-hostile', { mediator: 'write', panelist: 'write' });
				const good = open('doc-hostile', 'mediator');
				await until(() => good.provider.synced, 'good client synced');
				const bad = rawSocket(h, 'doc-hostile', tokens.panelist);
				await until(() => bad.frames.length > 0, 'attacker joined');
				bad.ws.send(bytes);
				await until(() => bad.closed() !== null, 'attacker closed');
				good.doc.getText('t').insert(0, 'x');
				await until(() => good.isSaved(), 'server still stores and acks');
				expect(good.provider.wsconnected).toBe(true);
			});
		}

		it('1,000 frames before authentication', async () => {
			grant('slow-doc', { mediator: 'write', panelist: 'write' });
			let release!: () => void;
			gate = new Promise((r) => (release = r));
			const flood = rawSocket(h, 'slow-doc', tokens.panelist);
			await until(() => flood.opened(), 'socket open');
			for (let i = 0; i < 1000; i++) flood.ws.send(new Uint8Array([3]));
			await until(() => flood.closed() !== null, 'flood closed');
			expect(flood.closed()!.code).toBe(CLOSE.tooManyFrames);
			release();
			gate = null;
			const good = open('slow-doc', 'mediator');
			await until(() => good.provider.synced, 'server still serves the document');
		});
	});

	it('closes a connection whose sign-in check outlasts the time limit so that the client tries again', async () => {
		// A database slower than the limit is the server's trouble, not the client's: the close code must
		// lie outside 4400–4499, which y-websocket clients take as final.
		const strict = await startCollab(t.db, policy, { authTimeoutMs: 300 });
		try {
			grant('slow-auth', { mediator: 'write' });
			let release!: () => void;
			gate = new Promise((r) => (release = r));
			const c = connectClient(strict, 'slow-auth', tokens.mediator);
			clients.push(c);
			let closedWith = 0;
			c.provider.on('connection-close', (event) => {
				closedWith ||= event?.code ?? 0;
				setImmediate(notifyAll);
			});
			await until(() => closedWith !== 0, 'closed by the time limit');
			expect(closedWith).toBe(CLOSE.authTimeout);
			expect(closedWith < 4400 || closedWith > 4499).toBe(true);
			release();
			gate = null;
			await until(() => c.provider.synced, 'reconnected and synced once sign-in is quick again');
		} finally {
			gate = null;
			await strict.close();
		}
	});

	it('keeps peers that answer pings through many rounds and drops one that stops answering', async () => {
		// Long enough that a busy test process still answers each ping before the next one.
		const quick = await startCollab(t.db, policy, { pingMs: 400 });
		try {
			grant('doc-ping', { mediator: 'write', panelist: 'write' });
			const live = rawSocket(quick, 'doc-ping', tokens.mediator);
			let pings = 0;
			live.ws.on('ping', () => {
				pings++;
				setImmediate(notifyAll);
			});
			const silent = new WebSocket(`ws://127.0.0.1:${quick.port}/collab/doc-ping`, {
				headers: { cookie: `pingli_session=${tokens.panelist}`, origin: quick.origin },
				autoPong: false
			});
			let silentClosed = false;
			silent.on('close', () => {
				silentClosed = true;
				setImmediate(notifyAll);
			});
			await until(() => pings >= 4 && silentClosed, 'four ping rounds, the silent peer dropped');
			expect(live.closed()).toBeNull();
			expect(live.opened()).toBe(true);
		} finally {
			await quick.close();
		}
	});

	it('unloads a document from memory after its last client leaves', async () => {
		grant('doc-unload', { mediator: 'write' });
		const c = open('doc-unload', 'mediator');
		await until(() => c.provider.synced, 'sync');
		expect(h.collab.registry.docs.has('doc-unload')).toBe(true);
		c.destroy();
		clients.pop();
		await until(() => !h.collab.registry.docs.has('doc-unload'), 'unloaded', 5_000);
	});

	it('serves a cold open of 10,000 stored edits from its compacted state', async () => {
		const writer = new Y.Doc();
		const updates: Uint8Array[] = [];
		writer.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 10_000; i++) writer.getText('t').insert(i, String(i % 10));
		const store = postgresStore(t.db);
		for (let i = 0; i < updates.length; i += 1000) await store.append('doc-cold', updates.slice(i, i + 1000));
		expect(await store.compact('doc-cold', 500)).toBe(10_000);
		expect(await store.countRows('doc-cold')).toBe(0);
		const [row] = await t.db.select({ folded: collabDocuments.foldedThrough }).from(collabDocuments).where(eq(collabDocuments.name, 'doc-cold'));
		expect(row.folded).toBeGreaterThan(0);
		grant('doc-cold', { mediator: 'read' });
		const reader = open('doc-cold', 'mediator');
		await until(() => reader.provider.synced && text(reader).length === 10_000, 'cold open');
		expect(text(reader)).toBe(writer.getText('t').toString());
		writer.destroy();
	});

	it('compacts the live log so a busy document keeps at most about 500 raw rows', async () => {
		grant('doc-busy', { mediator: 'write' });
		const c = open('doc-busy', 'mediator');
		await until(() => c.provider.synced, 'sync');
		for (let i = 0; i < 700; i++) {
			c.doc.getText('t').insert(0, 'a');
			if (i % 50 === 0) await until(() => c.isSaved(), 'saved batch');
		}
		await until(() => c.isSaved(), 'all saved');
		const rows = await postgresStore(t.db).countRows('doc-busy');
		expect(rows).toBeLessThanOrEqual(500);
	});
});
