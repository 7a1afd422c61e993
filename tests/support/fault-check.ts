import { expect } from 'vitest';
import * as Y from 'yjs';
import type { FaultCluster } from './fault-cluster';
import { acked, allSaved, providerClient, text, type MarkerClient } from './fault-clients';

/**
 * Resolves once `predicate` holds, checking every `everyMs`; rejects with `describe()` after
 * `timeoutMs`. A timed poll rather than the harness's event-driven `until`: with hundreds of clients
 * every update would re-run the predicate hundreds of times.
 */
export async function poll(predicate: () => boolean, what: string, timeoutMs: number, describe?: () => string, everyMs = 50): Promise<number> {
	const started = performance.now();
	for (;;) {
		if (predicate()) return performance.now() - started;
		if (performance.now() - started > timeoutMs) {
			throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${describe ? `\n${describe()}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

const stateVector = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

/** Every marker in a text, in order. The suite's texts hold nothing but markers. */
export const markersIn = (s: string) => s.match(/\[[^\]]*\]/g) ?? [];

/** How often each of `markers` occurs in `s`: the ones that are not there exactly once. */
export function notExactlyOnce(s: string, markers: string[]): { marker: string; count: number }[] {
	const counts = new Map<string, number>();
	for (const m of markersIn(s)) counts.set(m, (counts.get(m) ?? 0) + 1);
	return markers.map((marker) => ({ marker, count: counts.get(marker) ?? 0 })).filter((m) => m.count !== 1);
}

/** Whether the clients are all connected and hold the same state (text and state vector; cheap checks first). */
export function converged(clients: MarkerClient[]): boolean {
	if (!clients.every((c) => c.synced())) return false;
	const reference = text(clients[0]);
	if (!clients.every((c) => text(c) === reference)) return false;
	const sv = stateVector(clients[0].doc);
	return clients.every((c) => stateVector(c.doc) === sv);
}

/** Converged, and every client's every edit acknowledged as saved. */
export const settled = (clients: MarkerClient[]) => clients.every(allSaved) && converged(clients);

/** One line per client, for a failed wait: who is connected, saved, and how far behind. */
export function describeClients(clients: MarkerClient[]): string {
	const all = clients.flatMap((c) => c.typed.map((m) => m.text));
	return clients
		.map((c) => {
			const own = Y.getState(c.doc.store, c.doc.clientID);
			const seen = all.length - notExactlyOnce(text(c), all).filter((m) => m.count === 0).length;
			return `${c.label}@${c.instance.name}: synced=${c.synced()} saved=${c.savedClock()}/${own} typed=${c.typed.length} markers seen=${seen}/${all.length}`;
		})
		.join('\n');
}

/** Asserts that each of `markers` is in the stored document exactly once, read from PostgreSQL now. */
export async function expectStoredOnce(cluster: FaultCluster, docName: string, markers: string[]): Promise<void> {
	const stored = await cluster.storedDoc(docName);
	try {
		expect(notExactlyOnce(stored.getText('t').toString(), markers)).toEqual([]);
	} finally {
		stored.destroy();
	}
}

export interface CheckResult {
	/** Markers typed on this document. */
	markers: number;
	/** From the start of the check until every client was connected, saved and identical. */
	settledMs: number;
}

/**
 * The check after each fault. Once the clients have settled (connected, every edit acknowledged,
 * identical state; a bounded wait), strictly:
 * - a fresh client on each instance gets the same state (state vector and text);
 * - every marker typed appears exactly once, and the text is nothing but those markers;
 * - every marker acknowledged as saved is in PostgreSQL exactly once (read directly), and since
 *   every edit is acknowledged, the stored document equals what the clients hold.
 */
export async function checkAfterFault(cluster: FaultCluster, docName: string, clients: MarkerClient[], settleMs = 90_000): Promise<CheckResult> {
	const settledMs = await poll(() => settled(clients), 'every client to be connected, saved and identical', settleMs, () => describeClients(clients));

	const fresh = [cluster.a, cluster.b].map((instance) => providerClient(instance, docName, cluster.tokens[0], `fresh-${instance.name}`));
	try {
		const live = clients[0];
		await poll(
			() => fresh.every((f) => f.synced() && stateVector(f.doc) === stateVector(live.doc)),
			'fresh clients on both instances to get the same state',
			30_000,
			() => describeClients([...clients, ...fresh])
		);
		const everyone = [...clients, ...fresh];
		const reference = text(live);
		expect(everyone.map((c) => [c.label, stateVector(c.doc)])).toEqual(everyone.map((c) => [c.label, stateVector(live.doc)]));
		expect(everyone.map((c) => [c.label, text(c)])).toEqual(everyone.map((c) => [c.label, reference]));

		const typed = clients.flatMap((c) => c.typed.map((m) => m.text));
		expect(notExactlyOnce(reference, typed)).toEqual([]);
		expect(markersIn(reference).join('')).toBe(reference);
		expect(markersIn(reference).length).toBe(typed.length);

		const stored = await cluster.storedDoc(docName);
		try {
			const storedText = stored.getText('t').toString();
			// Settled means every client's every marker is acknowledged.
			const ackedMarkers = clients.flatMap((c) => acked(c).map((m) => m.text));
			expect(ackedMarkers.length).toBe(typed.length);
			expect(notExactlyOnce(storedText, ackedMarkers)).toEqual([]);
			expect(storedText).toBe(reference);
			expect(stateVector(stored)).toBe(stateVector(live.doc));
		} finally {
			stored.destroy();
		}
		return { markers: typed.length, settledMs };
	} finally {
		for (const f of fresh) f.destroy();
	}
}
