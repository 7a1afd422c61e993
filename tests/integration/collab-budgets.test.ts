/**
 * One socket must not be able to stall the collaboration server (issue 12): per-socket budgets,
 * presence caps, the update guard, the record size cap, socket caps per person and per address, and
 * canonical document names. A real server on port 0 with raw sockets and real y-websocket clients;
 * every check counts bytes, codes and states, never time.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentPolicy } from '../../src/lib/server/collab/app-auth';
import { DEFAULT_BUDGETS } from '../../src/lib/server/collab/budget';
import { encodeAwarenessEntries } from '../../src/lib/server/collab/awareness-entries';
import { CLOSE } from '../../src/lib/server/collab/connection';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { MSG_AWARENESS, MSG_QUERY_AWARENESS, MSG_SYNC } from '../../src/lib/server/collab/protocol';
import { DEFAULT_UPDATE_LIMITS } from '../../src/lib/server/collab/update-guard';
import { parseDocName } from '../../src/lib/server/collab/doc-name';
import { connectClient, rawSocket, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { signInDemoPeople } from '../support/demo-sessions';
import { fakeClientsDeleteSet, handUpdate } from '../support/hostile-updates';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
const ids: Record<string, number> = {};
const tokens: Record<string, string> = {};
const events: string[] = [];
let gate: Promise<void> | null = null;
/** Everyone signed in may write every document, except the party, who reads; `slow-*` waits for the gate. */
const policy: DocumentPolicy = async (_db, viewer, doc) => {
	if (doc.name.startsWith('slow') && gate) await gate;
	return viewer.id === ids.party ? 'read' : 'write';
};
const harnesses: Harness[] = [];
const clients: TestClient[] = [];
const sockets: ReturnType<typeof rawSocket>[] = [];

/** A small sync budget and record cap, so a flood shows within a few replies. */
const SYNC_BUDGET = { capacity: 1024 * 1024, perSecond: 16 * 1024 };
const RECORD_CAP = 256 * 1024;
let h: Harness;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	const people = await signInDemoPeople(t.db);
	Object.assign(ids, people.ids);
	Object.assign(tokens, people.tokens);
	h = await harness({
		budgets: { ...DEFAULT_BUDGETS, sync: SYNC_BUDGET },
		update: { ...DEFAULT_UPDATE_LIMITS, maxRecordBytes: RECORD_CAP }
	});
});
afterEach(() => {
	while (clients.length) clients.pop()!.destroy();
	while (sockets.length) sockets.pop()!.ws.terminate();
});
afterAll(async () => {
	for (const x of harnesses) await x.close();
	await t.destroy();
});

async function harness(limits: Parameters<typeof startCollab>[2]): Promise<Harness> {
	const x = await startCollab(t.db, policy, limits, events);
	harnesses.push(x);
	return x;
}
const open = (on: Harness, doc: string, who: string) => {
	const c = connectClient(on, doc, tokens[who]);
	clients.push(c);
	return c;
};
const raw = (on: Harness, doc: string, who: string) => {
	const s = rawSocket(on, doc, tokens[who]);
	sockets.push(s);
	return s;
};
/** Joined: the server's first message (its sync step 1) has arrived. */
const joined = (s: ReturnType<typeof rawSocket>) => s.frames.length > 0;
const received = (s: ReturnType<typeof rawSocket>) => s.frames.reduce((n, f) => n + f.length, 0);
const frame = (type: number, write: (e: encoding.Encoder) => void) => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, type);
	write(e);
	return encoding.toUint8Array(e);
};
const updateFrame = (update: Uint8Array) =>
	frame(MSG_SYNC, (e) => {
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, update);
	});
const awarenessFrame = (entries: { client: number; clock: number; state: unknown }[]) =>
	frame(MSG_AWARENESS, (e) => encoding.writeVarUint8Array(e, encodeAwarenessEntries(entries)));
const serverDoc = (on: Harness, name: string) => on.collab.registry.docs.get(name)!;
const text = (c: TestClient) => c.doc.getText('t').toString();

describe('message budgets', () => {
	it("closes a reader flooding sync-step-1 after about its budget in replies, while another record's editors carry on", async () => {
		const seed = open(h, 'flooded', 'mediator');
		await until(() => seed.provider.synced, 'seed sync');
		seed.doc.getText('t').insert(0, '笔'.repeat(40_000)); // ~120 KB of UTF-8
		await until(() => seed.isSaved(), 'seeded');
		const flooder = raw(h, 'flooded', 'party');
		await until(() => joined(flooder), 'flooder joined');
		const before = received(flooder);
		// [0,0,1,0]: "send me everything", 300 times (36 MB of replies without a budget).
		const ask = Uint8Array.of(0, 0, 1, 0);
		for (let i = 0; i < 300; i++) flooder.ws.send(ask);
		await until(() => flooder.closed() !== null, 'flooder closed', 30_000);
		expect(flooder.closed()!.code).toBe(CLOSE.tooManyFrames);
		// The budget plus the one reply that may overdraw it, plus what refilled meanwhile.
		expect(received(flooder) - before).toBeLessThan(SYNC_BUDGET.capacity + 3 * 130_000);
		expect(events).toContain('over_budget');

		const a = open(h, 'other-record', 'mediator');
		const b = open(h, 'other-record', 'panelist');
		await until(() => a.provider.synced && b.provider.synced, 'other record sync');
		a.doc.getText('t').insert(0, '评理');
		await until(() => text(b) === '评理', 'round trip on the other record');
		expect(seed.provider.wsconnected).toBe(true);
	});

	it('closes a socket flooding query-awareness by the bytes of the replies', async () => {
		const on = await harness({ budgets: { ...DEFAULT_BUDGETS, queryAwareness: { capacity: 4096, perSecond: 1 } } });
		const editor = open(on, 'queried', 'mediator');
		editor.provider.awareness.setLocalStateField('note', '见'.repeat(500));
		await until(() => editor.provider.synced, 'editor sync');
		const flooder = raw(on, 'queried', 'party');
		await until(() => joined(flooder) && flooder.frames.some((f) => f[0] === MSG_AWARENESS), 'flooder sees presence');
		for (let i = 0; i < 100; i++) flooder.ws.send(Uint8Array.of(MSG_QUERY_AWARENESS));
		await until(() => flooder.closed() !== null, 'flooder closed');
		expect(flooder.closed()!.code).toBe(CLOSE.tooManyFrames);
		// Each reply carries the ~1.6 KB presence: a handful got through, not a hundred.
		expect(flooder.frames.filter((f) => f[0] === MSG_AWARENESS).length).toBeLessThan(8);
	});
});

describe('before sign-in', () => {
	it('closes a socket that sends more than the queued-bytes cap while its sign-in is checked', async () => {
		let open!: () => void;
		gate = new Promise((r) => (open = r));
		try {
			const early = raw(h, 'slow-queue', 'mediator');
			await until(() => early.opened(), 'socket open');
			const big = new Uint8Array(1536 * 1024);
			for (let i = 0; i < 3; i++) early.ws.send(big);
			await until(() => early.closed() !== null, 'closed before sign-in');
			expect(early.closed()!.code).toBe(CLOSE.tooManyFrames);
			expect(early.frames.length).toBe(0);
		} finally {
			open();
			gate = null;
		}
	});
});

describe('update budget', () => {
	it('closes a socket sending updates faster than its budget refills, counted in bytes', async () => {
		const on = await harness({ budgets: { ...DEFAULT_BUDGETS, update: { capacity: 64 * 1024, perSecond: 1 } } });
		const party = raw(on, 'update-flood', 'party');
		await until(() => joined(party), 'party joined');
		const doc = new Y.Doc();
		doc.getText('t').insert(0, '改'.repeat(4000)); // ~12 KB
		const update = updateFrame(Y.encodeStateAsUpdate(doc));
		const before = events.filter((e) => e === 'read_only_update_dropped').length;
		for (let i = 0; i < 20; i++) party.ws.send(update);
		await until(() => party.closed() !== null, 'party closed');
		expect(party.closed()!.code).toBe(CLOSE.tooManyFrames);
		// Five of ~12 KB fit in 64 KB; the rest were never looked at.
		expect(events.filter((e) => e === 'read_only_update_dropped').length - before).toBe(5);
	});
});

describe('presence', () => {
	it('keeps at most four presences per socket, drops a frame of many, and closes on a frame of 150,000 fake client ids', async () => {
		const party = raw(h, 'presence', 'party');
		await until(() => joined(party), 'party joined');
		const fake = (client: number) => ({ client, clock: 1, state: { cursor: client } });
		party.ws.send(awarenessFrame(Array.from({ length: 10 }, (_, i) => fake(500 + i))));
		await until(() => events.includes('awareness_dropped'), 'drop logged');
		const doc = await serverDoc(h, 'presence');
		await until(() => doc.awareness.getStates().size === 4, 'four presences');
		const dropped = events.filter((e) => e === 'awareness_dropped').length;
		party.ws.send(awarenessFrame(Array.from({ length: 100 }, (_, i) => fake(1_000 + i))));
		await until(() => events.filter((e) => e === 'awareness_dropped').length > dropped, 'long frame dropped');
		expect(doc.awareness.getStates().size).toBe(4);
		// The report's frame: 150,000 ids in ~1 MB, far over the presence budget (256 KB).
		const huge = awarenessFrame(Array.from({ length: 150_000 }, (_, i) => ({ client: 10_000 + i, clock: 1, state: {} })));
		expect(huge.length).toBeGreaterThan(DEFAULT_BUDGETS.awareness.capacity);
		party.ws.send(huge);
		await until(() => party.closed() !== null, 'party closed');
		expect(party.closed()!.code).toBe(CLOSE.tooManyFrames);
		expect(doc.awareness.getStates().size).toBe(0);

		// Someone joining afterwards is sent a small first answer and stays connected.
		const joiner = raw(h, 'presence', 'mediator');
		await until(() => joined(joiner), 'joiner joined');
		expect(received(joiner)).toBeLessThan(4096);
		expect(joiner.closed()).toBeNull();
	});

	it('drops a presence state over the size cap', async () => {
		const party = raw(h, 'presence-big', 'party');
		await until(() => joined(party), 'party joined');
		const before = events.filter((e) => e === 'awareness_dropped').length;
		party.ws.send(awarenessFrame([{ client: 42, clock: 1, state: { blob: 'x'.repeat(20_000) } }]));
		await until(() => events.filter((e) => e === 'awareness_dropped').length > before, 'drop logged');
		expect((await serverDoc(h, 'presence-big')).awareness.getStates().has(42)).toBe(false);
	});
});

describe('update guard and record size', () => {
	const storedRows = async (name: string) => (await postgresStore(t.db).load(name)).updates.length;

	it('refuses a GC struct of length 2^40 and a delete set of 100,000 client ids, storing neither', async () => {
		for (const [name, update] of [
			['absurd-gc', handUpdate([{ client: 77, clock: 0, length: 2 ** 40 }], [])],
			['absurd-ds', fakeClientsDeleteSet(100_000)]
		] as const) {
			const writer = raw(h, name, 'mediator');
			await until(() => joined(writer), 'writer joined');
			writer.ws.send(updateFrame(update));
			await until(() => writer.closed() !== null, `${name} closed`);
			expect(writer.closed()!.code).toBe(CLOSE.updateRejected);
			const doc = await serverDoc(h, name);
			expect(Y.encodeStateAsUpdate(doc.ydoc).length).toBeLessThan(16);
			expect(await storedRows(name)).toBe(0);
		}
		expect(events).toContain('update_rejected');
	});

	it('refuses the edit that would push a record past its cap, and the editor stops instead of retrying', async () => {
		const writer = open(h, 'capped', 'mediator');
		const reader = open(h, 'capped', 'panelist');
		await until(() => writer.provider.synced && reader.provider.synced, 'sync');
		writer.doc.getText('t').insert(0, 'a'.repeat(RECORD_CAP / 2));
		await until(() => writer.isSaved() && text(reader).length === RECORD_CAP / 2, 'first half stored');
		let closedWith: number | null = null;
		writer.provider.on('closed', (e: { code: number }) => (closedWith = e.code));
		writer.doc.getText('t').insert(0, 'b'.repeat(RECORD_CAP / 2 + 1024));
		await until(() => closedWith !== null, 'writer closed');
		expect(closedWith).toBe(CLOSE.recordTooLarge);
		// y-websocket takes 44xx as final: no reconnect loop.
		expect(writer.provider.shouldConnect).toBe(false);
		expect(events).toContain('record_too_large');
		const doc = await serverDoc(h, 'capped');
		expect(doc.ydoc.getText('t').toString()).toBe('a'.repeat(RECORD_CAP / 2));
		// Deleting still works at the cap: it shrinks the record.
		reader.doc.getText('t').delete(0, 1000);
		await until(() => doc.ydoc.getText('t').length === RECORD_CAP / 2 - 1000, 'deletion applied');
		expect(reader.provider.wsconnected).toBe(true);
	});
});

describe('socket caps', () => {
	it('closes the socket past the per-person cap with a final code, and admits again once one closes', async () => {
		const on = await harness({ maxConnectionsPerUser: 3 });
		const three = [1, 2, 3].map(() => raw(on, 'many-tabs', 'mediator'));
		await until(() => three.every(joined), 'three joined');
		const fourth = raw(on, 'many-tabs', 'mediator');
		await until(() => fourth.closed() !== null, 'fourth closed');
		expect(fourth.closed()!.code).toBe(CLOSE.tooManyConnections);
		// Someone else is not affected.
		const other = raw(on, 'many-tabs', 'panelist');
		await until(() => joined(other), 'someone else joins');
		three[0].ws.close();
		await until(() => three[0].closed() !== null && on.collab.connections.size === 3, 'one closed');
		const again = raw(on, 'many-tabs', 'mediator');
		await until(() => joined(again), 'admitted again');
	});

	it('closes the socket past the per-address cap, whoever signs in', async () => {
		const on = await harness({ maxConnectionsPerAddress: 2 });
		const two = [raw(on, 'one-office', 'mediator'), raw(on, 'one-office', 'panelist')];
		await until(() => two.every(joined), 'two joined');
		const third = raw(on, 'one-office', 'villager');
		await until(() => third.closed() !== null, 'third closed');
		expect(third.closed()!.code).toBe(CLOSE.tooManyConnections);
		expect(third.frames.length).toBe(0);
	});
});

describe('document names', () => {
	it('refuses `record:01` beside `record:1`', async () => {
		const plain = raw(h, 'record:1', 'mediator');
		await until(() => joined(plain), 'record:1 opens');
		for (const name of ['record:01', 'record:001', 'agreement:07']) {
			const padded = raw(h, name, 'mediator');
			await until(() => padded.closed() !== null, `${name} refused`);
			expect(padded.closed()!.code).toBe(400);
		}
		expect(h.collab.registry.docs.has('record:01')).toBe(false);
		expect(parseDocName('record:01')).toBeNull();
		expect(parseDocName('record:1')).toEqual({ name: 'record:1', kind: 'record', sessionId: 1 });
	});
});
