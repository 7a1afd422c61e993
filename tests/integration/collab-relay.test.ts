/**
 * Several instances (issue 7): two collaboration servers on one database, each with its own Redis
 * relay, as two app instances behind a load balancer. Clients on either converge, presence crosses,
 * content is stored exactly by someone even when the instance that accepted it cannot store it, a
 * Redis outage leaves each instance serving its own clients and they reconverge when it is back, and a
 * failing store is told to clients while "saved" is withheld. Uses the machine's Redis (TEST_REDIS_URL,
 * default redis://127.0.0.1:6379) under a channel prefix of its own, and for the outage a throwaway
 * redis-server on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';
import { createSession, invalidateSession } from '../../src/lib/server/auth/session';
import { CLOSE } from '../../src/lib/server/collab/connection';
import type { DocumentPolicy } from '../../src/lib/server/collab/app-auth';
import { postgresStore, type CollabStore } from '../../src/lib/server/collab/persistence';
import { redisRelay } from '../../src/lib/server/collab/redis-relay';
import type { Db } from '../../src/lib/server/db';
import { collabUpdates } from '../../src/lib/server/db/schema';
import { readiness } from '../../src/lib/server/health/readiness';
import { connectClient, notifyAll, rawSocket, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { signInDemoPeople } from '../support/demo-sessions';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = () => `pingli:test-${randomBytes(6).toString('hex')}:`;
const LIMITS = { keepaliveMs: 500 };

let t: TestDatabase;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};
const policy: DocumentPolicy = async (_db, viewer) => (viewer.id === ids.mediator || viewer.id === ids.panelist ? 'write' : null);
const clients: TestClient[] = [];
const servers: Harness[] = [];

beforeAll(async () => {
	t = await createTestDatabase('demo');
	const people = await signInDemoPeople(t.db);
	Object.assign(ids, people.ids);
	Object.assign(tokens, people.tokens);
});
afterEach(async () => {
	while (clients.length) clients.pop()!.destroy();
	while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
	await t.destroy();
});

/** Two instances sharing the test database, relayed through Redis under one prefix. */
async function twoInstances(options: { url?: string; storeA?: CollabStore; graceMs?: number } = {}): Promise<[Harness, Harness]> {
	const channel = prefix();
	const relay = () => redisRelay({ url: options.url ?? REDIS_URL, prefix: channel, log: () => setImmediate(notifyAll) });
	const limits = { ...LIMITS, remoteStoreGraceMs: options.graceMs ?? 3_000 };
	const a = await startCollab(t.db, policy, limits, [], undefined, { relay: relay(), store: options.storeA });
	servers.push(a);
	const b = await startCollab(t.db, policy, limits, [], undefined, { relay: relay() });
	servers.push(b);
	await polled(() => a.collab.relay!.up && b.collab.relay!.up, 'relays connected');
	return [a, b];
}

function open(h: Harness, doc: string, who: string): TestClient {
	const c = connectClient(h, doc, tokens[who]);
	clients.push(c);
	return c;
}

const text = (c: TestClient) => c.doc.getText('t').toString();

async function storedText(docName: string): Promise<string> {
	const { state, updates } = await postgresStore(t.db).load(docName);
	const doc = new Y.Doc();
	if (state) Y.applyUpdate(doc, state);
	for (const u of updates) Y.applyUpdate(doc, u);
	const out = doc.getText('t').toString();
	doc.destroy();
	return out;
}

/** A store whose appends fail while `down` is set (the database unreachable from that instance). */
function switchableStore(): CollabStore & { down: boolean } {
	const real = postgresStore(t.db);
	return {
		down: false,
		load: (name) => real.load(name),
		countRows: (name) => real.countRows(name),
		compact: (name, keep) => real.compact(name, keep),
		async append(name, updates) {
			if (this.down) throw new Error('connection refused');
			return real.append(name, updates);
		}
	};
}

describe('two instances on one Redis', () => {
	it('converges clients of different instances, and each stores what it accepted', async () => {
		const [a, b] = await twoInstances();
		const onA = open(a, 'relay-doc', 'mediator');
		const onB = open(b, 'relay-doc', 'panelist');
		await until(() => onA.provider.synced && onB.provider.synced, 'sync');
		onA.doc.getText('t').insert(0, '甲方陈述。');
		onB.doc.getText('t').insert(0, '乙方陈述。');
		await until(() => text(onA) === text(onB) && text(onA).length === 10, 'convergence across instances');
		await until(() => onA.isSaved() && onB.isSaved(), 'saved on both');
		expect(await storedText('relay-doc')).toBe(text(onA));
		// Each instance stored its own client's edit once; neither stored the other's.
		expect(await postgresStore(t.db).countRows('relay-doc')).toBe(2);
	});

	it('shows presence across instances and removes it when that person leaves', async () => {
		const [a, b] = await twoInstances();
		const onA = open(a, 'relay-presence', 'mediator');
		const onB = open(b, 'relay-presence', 'panelist');
		await until(() => onA.provider.synced && onB.provider.synced, 'sync');
		onA.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
		const fromA = onA.doc.clientID;
		await until(() => (onB.provider.awareness.getStates().get(fromA) as { cursor?: unknown } | undefined)?.cursor !== undefined, 'A’s cursor on B');
		// The relayed presence carries the identity instance A attested, not what the client claimed.
		const user = (onB.provider.awareness.getStates().get(fromA) as { user?: { id?: number } }).user;
		expect(user?.id).toBe(ids.mediator);
		onA.destroy();
		clients.splice(clients.indexOf(onA), 1);
		await until(() => !onB.provider.awareness.getStates().has(fromA), 'A’s presence gone on B');
	});

	it('gives a client of an instance that opens the record later what the other has not stored yet', async () => {
		const storeA = switchableStore();
		const [a, b] = await twoInstances({ storeA, graceMs: 300 });
		try {
			const onA = open(a, 'relay-late', 'mediator');
			await until(() => onA.provider.synced, 'sync on A');
			storeA.down = true;
			onA.doc.getText('t').insert(0, '尚未保存的记录');
			await until(() => onA.storeFailing(), 'A tells its client that storing fails');
			// B loads the record from the database, which lacks the edit; A answers B's request for the rest.
			const onB = open(b, 'relay-late', 'panelist');
			await until(() => text(onB) === '尚未保存的记录', 'unstored edit reaches the late instance');
			// A cannot store it, so B stores it once the grace period passes; then A's client is told it is saved.
			await until(() => onA.isSaved(), 'saved through the other instance', 10_000);
			expect(await storedText('relay-late')).toBe('尚未保存的记录');
		} finally {
			// A's own copy is still queued: let it store so the instance can shut down.
			storeA.down = false;
		}
	});

	it('closes, within 5 s, the socket of someone who signed out through another instance', async () => {
		// Sessions live in the database: instance B re-checks its sockets every 2 s, as in production.
		const channel = prefix();
		const b = await startCollab(t.db, policy, { revalidateMs: 2_000 }, [], undefined, { relay: redisRelay({ url: REDIS_URL, prefix: channel }) });
		servers.push(b);
		const { token, session } = await createSession(t.db, ids.panelist);
		const socket = rawSocket(b, 'relay-signout', token);
		await until(() => socket.frames.length > 0, 'joined on B');
		await invalidateSession(t.db, session.id);
		await until(() => socket.closed() !== null, 'closed on B', 5_000);
		expect(socket.closed()!.code).toBe(CLOSE.forbidden);
	});

	it('keeps every instance serving while Redis is down and reconverges within 10 s of its return', async () => {
		const redis = await throwawayRedis();
		try {
			const [a, b] = await twoInstances({ url: redis.url });
			const onA = open(a, 'relay-outage', 'mediator');
			const onB = open(b, 'relay-outage', 'panelist');
			await until(() => onA.provider.synced && onB.provider.synced, 'sync');
			onA.doc.getText('t').insert(0, 'A1');
			await until(() => text(onB) === 'A1', 'relayed before the outage');

			await redis.stop();
			await polled(() => !a.collab.relay!.up && !b.collab.relay!.up, 'both instances see Redis down');
			const ready = await readiness(async () => t.db, { relay: a.collab.relay });
			expect(ready).toMatchObject({ ready: true, status: 'degraded', checks: { database: { ok: true }, redis: { ok: false } } });
			// Each instance still serves and stores its own clients' edits.
			onA.doc.getText('t').insert(2, '-A2');
			onB.doc.getText('t').insert(0, 'B1-');
			await until(() => onA.isSaved() && onB.isSaved(), 'saved while Redis is down');
			expect(text(onA)).toBe('A1-A2');
			expect(text(onB)).toBe('B1-A1');

			await redis.start();
			await until(() => text(onA) === text(onB) && text(onA) === 'B1-A1-A2', 'reconverged after Redis returned', 10_000);
			expect((await readiness(async () => t.db, { relay: a.collab.relay })).status).toBe('ready');
		} finally {
			await redis.stop();
		}
	});
});

describe('a store that fails', () => {
	it('tells clients, withholds "saved", keeps the edits and stores them when it works again', async () => {
		const store = switchableStore();
		const h = await startCollab(t.db, policy, {}, [], undefined, { store });
		servers.push(h);
		const c = open(h, 'store-outage', 'mediator');
		await until(() => c.provider.synced, 'sync');
		store.down = true;
		c.doc.getText('t').insert(0, '断库期间的编辑');
		await until(() => c.storeFailing(), 'told that storing fails');
		expect(c.isSaved()).toBe(false);
		expect(await storedText('store-outage')).toBe('');
		store.down = false;
		await until(() => c.isSaved() && !c.storeFailing(), 'stored after the database returned', 15_000);
		expect(await storedText('store-outage')).toBe('断库期间的编辑');
	});
});

describe('compaction beside concurrent appends', () => {
	it('never loses an append that commits after a compaction read the log', async () => {
		const store = postgresStore(t.db);
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 4; i++) doc.getText('t').insert(i, String(i));
		await store.append('race-doc', [updates[0]]);
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		// An append whose id is taken now but which commits only after a later append and the compaction.
		// On PostgreSQL each runs on its own connection; PGlite runs one transaction at a time, so there
		// the held one simply goes first and the others wait for it.
		const slow = t.db.transaction(async (tx) => {
			await tx.insert(collabUpdates).values({ docName: 'race-doc', data: updates[1] });
			await held;
		});
		if (process.env.TEST_DB_DRIVER === 'postgres') {
			await store.append('race-doc', [updates[2]]);
			await store.compact('race-doc', 0);
			release();
			await slow;
		} else {
			const later = store.append('race-doc', [updates[2]]);
			const compacting = store.compact('race-doc', 0);
			release();
			await Promise.all([slow, later, compacting]);
		}
		await store.append('race-doc', [updates[3]]);
		expect(await storedText('race-doc')).toBe('0123');
		doc.destroy();
	});

	it('never loses rows that a compaction folds while a load reads the document', async () => {
		const store = postgresStore(t.db);
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		doc.getText('t').insert(0, 'ab');
		doc.getText('t').insert(2, 'cd');
		await store.append('load-race', [updates[0]]);
		await store.compact('load-race', 0);
		await store.append('load-race', [updates[1]]);
		// Another instance's compaction commits between the load's two reads, whichever it reads first.
		const loaded = await postgresStore(afterFirstQuery(t.db, () => store.compact('load-race', 0))).load('load-race');
		const back = new Y.Doc();
		if (loaded.state) Y.applyUpdate(back, loaded.state);
		for (const u of loaded.updates) Y.applyUpdate(back, u);
		expect(back.getText('t').toString()).toBe('abcd');
		back.destroy();
		doc.destroy();
	});
});

describe('catching up what the relay could not carry', () => {
	it('catches up both ways when only one instance lost Redis', async () => {
		const redis = await throwawayRedis();
		const proxy = await cuttableProxy(redis.port);
		try {
			// A reaches Redis through a proxy that is cut; B keeps its own connection throughout.
			const channel = prefix();
			const relay = (url: string) => redisRelay({ url, prefix: channel, log: () => setImmediate(notifyAll) });
			const a = await startCollab(t.db, policy, LIMITS, [], undefined, { relay: relay(proxy.url) });
			servers.push(a);
			const b = await startCollab(t.db, policy, LIMITS, [], undefined, { relay: relay(redis.url) });
			servers.push(b);
			await polled(() => a.collab.relay!.up && b.collab.relay!.up, 'relays connected');
			const onA = open(a, 'relay-one-sided', 'mediator');
			const onB = open(b, 'relay-one-sided', 'panelist');
			await until(() => onA.provider.synced && onB.provider.synced, 'sync');
			onA.doc.getText('t').insert(0, 'A1');
			await until(() => text(onB) === 'A1', 'relayed before the cut');

			await proxy.cut();
			await polled(() => !a.collab.relay!.up, 'A sees Redis down');
			expect(b.collab.relay!.up).toBe(true);
			onA.doc.getText('t').insert(2, '-A2');
			onB.doc.getText('t').insert(0, 'B1-');
			await until(() => onA.isSaved() && onB.isSaved(), 'saved on both sides of the cut');

			// Only A saw the outage and resyncs; B, asked by A, must notice that A holds what B lacks.
			await proxy.open();
			await until(() => text(onA) === 'B1-A1-A2' && text(onB) === 'B1-A1-A2', 'both sides caught up', 10_000);
		} finally {
			await proxy.close();
			await redis.stop();
		}
	});

	it('subscribes and catches up records opened before Redis was ready, without failing the connection', async () => {
		const channel = prefix();
		const events: string[] = [];
		const relay = redisRelay({ url: REDIS_URL, prefix: channel, log: (event) => events.push(event) });
		const other = redisRelay({ url: REDIS_URL, prefix: channel });
		const resynced = new Set<string>();
		const received = new Set<string>();
		const handlers = (name: string) => ({
			update: () => received.add(name),
			awareness: () => {},
			stored: () => {},
			syncRequest: () => {},
			resync: () => resynced.add(name)
		});
		try {
			// Joined while still connecting (as a restarted instance's returning clients do): whatever they
			// published meanwhile was dropped, so they must resync once Redis is ready.
			expect(relay.up).toBe(false);
			await Promise.all(['early-1', 'early-2'].map((name) => relay.join(name, handlers(name))));
			await polled(() => resynced.size === 2, 'both records resynced once Redis was ready');
			const links = await Promise.all(['early-1', 'early-2'].map((name) => other.join(name, handlers(`other-${name}`))));
			// Subscribing finishes a moment after 'ready': publish until the message is heard.
			await polled(() => {
				links.forEach((link) => link.publishUpdate(new Uint8Array([0, 0])));
				return received.has('early-1') && received.has('early-2');
			}, 'messages from another instance');
			expect(events).not.toContain('relay_down');
		} finally {
			await relay.close();
			await other.close();
		}
	});
});

/** A TCP proxy to a local port that can be cut (listener and every connection closed) and opened again on its port. */
async function cuttableProxy(target: number) {
	const port = await freePort();
	const sockets = new Set<Socket>();
	const server = createServer((client) => {
		const upstream = connect(target, '127.0.0.1');
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			// A cut resets both ends; the peer's 'close' is all that matters.
			s.on('error', () => {});
		}
		client.pipe(upstream).pipe(client);
	});
	const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const cut = () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const s of sockets) s.destroy();
		});
	await listen();
	return { url: `redis://127.0.0.1:${port}`, cut, open: listen, close: () => (server.listening ? cut() : Promise.resolve()) };
}

/**
 * `db` for one use, running `between` once the first query built on it has answered and before that
 * answer reaches the caller: another connection's work landing between two reads of one operation.
 */
function afterFirstQuery(db: Db, between: () => Promise<unknown>): Db {
	let first = true;
	const wrap = <T extends object>(target: T): T =>
		new Proxy(target, {
			get(obj, prop, receiver) {
				const value = Reflect.get(obj, prop, receiver);
				if (typeof value !== 'function') return value;
				if (prop === 'then' && first) {
					first = false;
					return (ok: (v: unknown) => unknown, ko: (e: unknown) => unknown) =>
						value.call(obj, (answer: unknown) => between().then(() => answer)).then(ok, ko);
				}
				return (...args: unknown[]) => {
					const out = value.apply(obj, args);
					return out && typeof out === 'object' ? wrap(out) : out;
				};
			}
		});
	return wrap(db);
}

/** Redis connection state changes notify no test listener: re-check it every 25 ms, within a deadline. */
async function polled(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

/** A redis-server of this test's own on a free port, stopped and started on that same port. */
async function throwawayRedis() {
	const port = await freePort();
	let child: ChildProcess | null = null;
	const start = async () => {
		child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
		await new Promise<void>((resolve, reject) => {
			child!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
			child!.stdout!.on('data', (d: Buffer) => {
				if (d.toString().includes('Ready to accept connections')) resolve();
			});
		});
	};
	await start();
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		start,
		async stop() {
			const running = child;
			child = null;
			if (!running || running.exitCode !== null) return;
			const exited = new Promise((r) => running.once('exit', r));
			running.kill('SIGKILL');
			await exited;
		}
	};
}

