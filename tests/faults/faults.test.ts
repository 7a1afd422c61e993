/**
 * Fault and load suite (issue 7): two instances of the collaboration server, as behind a load
 * balancer, sharing one throwaway PostgreSQL and one throwaway Redis (the relay between instances),
 * all started here on loopback and torn down at the end. Scripted y-websocket clients on both
 * instances type unique markers (`[f1c3-17]`) into a session record; each fault has a record of its
 * own, so one fault's damage cannot hide in or spill into another's check.
 *
 * After every fault the same check (tests/support/fault-check.ts): once every client is connected,
 * acknowledged and identical (a bounded wait), every client and a fresh client on each instance hold
 * the same state vector and text, every marker typed is in it exactly once, and every marker
 * acknowledged as saved is in PostgreSQL exactly once (read directly, in one snapshot).
 *
 * What each fault proves:
 * 1. SIGKILL of an instance while its clients type: what it acknowledged was stored before the
 *    acknowledgement (read while it is dead, so nothing could re-send it); its clients keep typing
 *    offline and, once it is back on the same port, deliver what it never acknowledged; the other
 *    instance's edits, made meanwhile, reach them.
 * 2. SIGTERM of an instance: a clean shutdown exits 0 having stored and acknowledged what it
 *    received; its clients reconnect to the restarted instance and nothing is lost or doubled.
 * 3. PostgreSQL restarted `-m immediate` while typing (stopped `-m immediate`, held down until both
 *    instances have told their clients that storing fails, then started): crash recovery keeps every
 *    acknowledged edit; nothing typed while it is down is acknowledged; the failed appends are retried
 *    and stored once it is back, once each (an append that committed but whose answer was lost does
 *    not double text).
 * 4. Redis down for 30 s while both instances take edits: saving goes on without Redis (each
 *    instance keeps acknowledging), and once Redis is back the clients of both instances converge
 *    within 10 s.
 * 5. A client's socket dropped 50 ms after an edit, without a closing handshake: if the edit was
 *    acknowledged it is in the database before the client comes back; if not, the client keeps it
 *    and delivers it on reconnect, with what it typed while away.
 * 6. A reconnect storm: 200 light clients connect at once across both instances with a marker
 *    typed offline, then all drop and reconnect at once with another: every marker is stored once
 *    and every client, old and fresh, ends with the same document.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkAfterFault, converged, describeClients, expectStoredOnce, markersIn, poll, settled, type CheckResult } from '../support/fault-check';
import { startCluster, type FaultCluster, type Instance } from '../support/fault-cluster';
import { acked, lightClient, providerClient, startTyping, text, typeMarker, type MarkerClient } from '../support/fault-clients';

/** Generous on a loaded 2-core machine; the assertions themselves are strict. */
const CONNECT_MS = 60_000;
const TYPE_EVERY_MS = 150;

let cluster: FaultCluster;
let clients: MarkerClient[] = [];
/** Typing still running when a test fails is stopped with its clients. */
let stopTyping: () => void = () => {};

beforeAll(async () => {
	cluster = await startCluster({ documents: 6 });
}, 120_000);

afterEach(() => {
	stopTyping();
	for (const c of clients) c.destroy();
	clients = [];
});

afterAll(async () => {
	await cluster?.dispose();
}, 60_000);

/** Two editors on each instance (the mediator and the panelist on both), labelled by fault. */
function editors(docName: string, fault: string): MarkerClient[] {
	clients = [cluster.a, cluster.b, cluster.a, cluster.b].map((instance, i) =>
		providerClient(instance, docName, cluster.tokens[i % 2], `${fault}c${i + 1}`)
	);
	return clients;
}

const on = (instance: Instance) => clients.filter((c) => c.instance === instance);
const ackedTexts = (of: MarkerClient[]) => of.flatMap((c) => acked(c).map((m) => m.text));
const allSynced = () => poll(() => clients.every((c) => c.synced()), 'every client to connect and sync', CONNECT_MS, () => describeClients(clients));
const report = (fault: string, detail: string, result: CheckResult) =>
	console.log(`${fault}: ${detail}; ${result.markers} markers in all, settled ${(result.settledMs / 1000).toFixed(1)} s into the check`);

/** Kills or stops `instance` while everyone types, checks what it acknowledged, and starts it again. */
async function restartWhileTyping(instance: Instance, signal: NodeJS.Signals, docName: string): Promise<string> {
	stopTyping = startTyping(clients, TYPE_EVERY_MS);
	const own = on(instance);
	await poll(() => own.every((c) => acked(c).length >= 3), `${instance.name}'s clients to have saved edits`, CONNECT_MS, () => describeClients(clients));
	const exit = await instance.stop(signal);
	expect(exit).toBe(signal === 'SIGKILL' ? null : 0);
	// Read while the instance is down: nobody could have re-sent these to it since.
	const ackedAtStop = ackedTexts(own);
	await expectStoredOnce(cluster, docName, ackedAtStop);
	// Its clients type on while it is away (kept locally, unacknowledged).
	await poll(() => own.every((c) => !c.synced()), `${instance.name}'s clients to see it gone`, CONNECT_MS);
	const typedAtStop = own.map((c) => c.typed.length);
	await poll(() => own.every((c, i) => c.typed.length >= typedAtStop[i] + 3), 'offline typing', CONNECT_MS);
	await instance.start();
	await poll(() => own.every((c) => c.synced()), `${instance.name}'s clients to reconnect`, CONNECT_MS, () => describeClients(clients));
	stopTyping();
	return `${ackedAtStop.length} markers acknowledged by ${instance.name} before the ${signal}, all stored`;
}

describe('faults', () => {
	it('1. SIGKILL of an instance, then started again', { timeout: 150_000 }, async () => {
		const docName = cluster.docNames[0];
		editors(docName, 'f1');
		await allSynced();
		const detail = await restartWhileTyping(cluster.a, 'SIGKILL', docName);
		report('SIGKILL', detail, await checkAfterFault(cluster, docName, clients));
	});

	it('2. SIGTERM of an instance, then started again', { timeout: 150_000 }, async () => {
		const docName = cluster.docNames[1];
		editors(docName, 'f2');
		await allSynced();
		const detail = await restartWhileTyping(cluster.b, 'SIGTERM', docName);
		report('SIGTERM', detail, await checkAfterFault(cluster, docName, clients));
	});

	it('3. PostgreSQL restarted with -m immediate while typing', { timeout: 150_000 }, async () => {
		const docName = cluster.docNames[2];
		editors(docName, 'f3');
		await allSynced();
		stopTyping = startTyping(clients, TYPE_EVERY_MS);
		await poll(() => clients.every((c) => acked(c).length >= 3), 'saved edits on both instances', CONNECT_MS, () => describeClients(clients));
		const ackedBefore = ackedTexts(clients);
		await cluster.postgres.crash();
		const typedAtCrash = clients.map((c) => c.typed.length);
		// Held down until both instances have told their clients (typing goes on meanwhile).
		await poll(() => clients.every((c) => c.storeFailing()), 'every client to be told that storing fails', CONNECT_MS, () => describeClients(clients));
		// Nothing typed since the crash can be stored, so none of it may be acknowledged.
		expect(clients.flatMap((c, i) => acked(c).slice(typedAtCrash[i]).map((m) => m.text))).toEqual([]);
		const ackedWhileDown = ackedTexts(clients);
		await cluster.postgres.start();
		// Crash recovery kept everything acknowledged before the crash and while it was down.
		await expectStoredOnce(cluster, docName, [...new Set([...ackedBefore, ...ackedWhileDown])]);
		// Saving resumes: the retries store the edits held meanwhile, and later ones are acknowledged too.
		const typedAtStart = clients.map((c) => c.typed.length);
		await poll(
			() => clients.every((c, i) => acked(c).length >= typedAtStart[i] + 3 && !c.storeFailing()),
			'edits typed after the restart to be saved, and clients told so',
			CONNECT_MS,
			() => describeClients(clients)
		);
		stopTyping();
		const held = typedAtStart.reduce((n, typed, i) => n + typed - typedAtCrash[i], 0);
		report('PostgreSQL restart', `${ackedBefore.length} markers acknowledged before the crash, all stored; ${held} typed while it was down, none acknowledged until it was back`, await checkAfterFault(cluster, docName, clients));
	});

	it('4. Redis stopped for 30 s while typing on both instances, then started again', { timeout: 180_000 }, async () => {
		const docName = cluster.docNames[3];
		editors(docName, 'f4');
		await allSynced();
		stopTyping = startTyping(clients, TYPE_EVERY_MS);
		await poll(() => clients.every((c) => acked(c).length >= 3), 'saved edits on both instances', CONNECT_MS, () => describeClients(clients));
		await cluster.redis.stop('SIGKILL');
		const ackedAtStop = clients.map((c) => acked(c).length);
		// The fault's length, not an assertion: 30 s of typing on both instances without Redis.
		await new Promise((resolve) => setTimeout(resolve, 30_000));
		stopTyping();
		// Saving never depended on Redis: every client got edits acknowledged meanwhile.
		expect(clients.filter((c, i) => acked(c).length <= ackedAtStop[i]).map((c) => c.label)).toEqual([]);
		await cluster.redis.start();
		const reconvergedMs = await poll(
			() => converged(clients) && markersIn(text(clients[0])).length === clients.reduce((n, c) => n + c.typed.length, 0),
			'clients on both instances to reconverge after Redis returned',
			10_000,
			() => describeClients(clients)
		);
		report('Redis down 30 s', `reconverged ${(reconvergedMs / 1000).toFixed(1)} s after Redis returned`, await checkAfterFault(cluster, docName, clients));
	});

	it('5. a client drops its socket 50 ms after an edit', { timeout: 150_000 }, async () => {
		const docName = cluster.docNames[4];
		editors(docName, 'f5');
		await allSynced();
		stopTyping = startTyping(clients, TYPE_EVERY_MS * 2);
		let ackedAtDrop = 0;
		for (let round = 0; round < 12; round++) {
			const client = clients[round % clients.length];
			const marker = typeMarker(client);
			await new Promise((resolve) => setTimeout(resolve, 50));
			const wasAcked = client.savedClock() >= marker.clock;
			await client.drop();
			if (wasAcked) {
				ackedAtDrop++;
				// Acknowledged: stored before the client could re-send anything.
				await expectStoredOnce(cluster, docName, [marker.text]);
			}
			// Typed while away: kept by the client with anything unacknowledged, and delivered on reconnect.
			const away = typeMarker(client);
			client.reconnect();
			await poll(() => client.synced() && client.savedClock() >= away.clock, `${client.label} to deliver its edits on reconnect`, CONNECT_MS, () => describeClients(clients));
			await expectStoredOnce(cluster, docName, [marker.text, away.text]);
		}
		stopTyping();
		report('socket dropped 50 ms after an edit', `${ackedAtDrop} of 12 edits acknowledged before the drop`, await checkAfterFault(cluster, docName, clients));
	});

	it('6. a reconnect storm of 200 clients across both instances', { timeout: 180_000 }, async () => {
		const docName = cluster.docNames[5];
		const storm = Array.from({ length: 200 }, (_, i) =>
			lightClient(i % 2 === 0 ? cluster.a : cluster.b, docName, cluster.tokens[i % 2], `s${i + 1}`)
		);
		clients = storm;
		// Typed before the socket opens: delivered in the sync exchange, as by an editor coming online.
		for (const c of storm) typeMarker(c);
		await poll(() => settled(storm), 'all 200 clients to connect, save and agree', 120_000, () => describeClients(storm).slice(0, 4000));
		// Everyone drops at once and comes back at once, each with a marker typed while away.
		await Promise.all(storm.map((c) => c.drop()));
		for (const c of storm) typeMarker(c);
		for (const c of storm) c.reconnect();
		const result = await checkAfterFault(cluster, docName, storm, 120_000);
		expect(storm.filter((c) => c.refused() !== null).map((c) => c.label)).toEqual([]);
		report('reconnect storm', '200 clients connected at once, then dropped and came back at once', result);
	});
});

