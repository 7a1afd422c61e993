import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/lib/server/collab/budget';
import { ConnectionCaps } from '../../src/lib/server/collab/connection-caps';
import { parseDocName } from '../../src/lib/server/collab/doc-name';
import { checkUpdate, DEFAULT_UPDATE_LIMITS, UpdateRejected } from '../../src/lib/server/collab/update-guard';
import { upgradeAddress } from '../../src/lib/server/collab/upgrade-address';
import { fakeClientsDeleteSet, handUpdate } from '../support/hostile-updates';
import type { IncomingMessage } from 'node:http';

describe('TokenBucket', () => {
	it('takes what it holds, refuses more, and refills with time up to its capacity', () => {
		const b = new TokenBucket({ capacity: 1000, perSecond: 500 }, 0);
		expect(b.take(600, 0)).toBe(true);
		expect(b.take(600, 0)).toBe(false);
		expect(b.take(600, 500)).toBe(true); // 400 + 250 = 650
		expect(b.take(100, 100_000)).toBe(true);
		expect(b.take(901, 100_000)).toBe(false); // capped at 1000, 900 left
	});

	it('lets one reply overdraw, then waits until the debt is refilled', () => {
		const b = new TokenBucket({ capacity: 1000, perSecond: 1000 }, 0);
		expect(b.hasCredit(0)).toBe(true);
		b.charge(3000);
		expect(b.hasCredit(0)).toBe(false);
		expect(b.hasCredit(1999)).toBe(false);
		expect(b.hasCredit(2001)).toBe(true);
	});
});

describe('checkUpdate', () => {
	const empty = () => undefined;
	const reject = (update: Uint8Array, known: (c: number) => number | undefined = empty) => {
		try {
			checkUpdate(update, known, DEFAULT_UPDATE_LIMITS);
		} catch (err) {
			return err instanceof UpdateRejected ? err.kind : 'other';
		}
		return null;
	};

	it('accepts real edits and names the clients they carry', () => {
		const doc = new Y.Doc();
		doc.getText('t').insert(0, '申请人陈述：𠮷');
		doc.getText('t').delete(0, 3);
		const summary = checkUpdate(Y.encodeStateAsUpdate(doc), empty, DEFAULT_UPDATE_LIMITS);
		expect(summary).toEqual({ clients: [doc.clientID], hasStructs: true, touch: { deletes: true, suggestionFormats: false } });
		const known = (c: number) => (c === doc.clientID ? Y.getState(doc.store, c) : undefined);
		const later = new Y.Doc();
		Y.applyUpdate(later, Y.encodeStateAsUpdate(doc));
		later.getText('t').delete(0, 1);
		// A delete-only update from another editor, on content the document holds.
		const deletion = Y.encodeStateAsUpdate(later, Y.encodeStateVector(doc));
		expect(checkUpdate(deletion, known, DEFAULT_UPDATE_LIMITS).hasStructs).toBe(false);
	});

	it('rejects a GC struct of length 2^40 and a clock past 2^31', () => {
		expect(reject(handUpdate([{ client: 7, clock: 0, length: 2 ** 40 }], []))).toBe('invalid');
		expect(reject(handUpdate([{ client: 7, clock: 2 ** 31, length: 1 }], []), () => 2 ** 31)).toBe('invalid');
		expect(reject(handUpdate([{ client: 7, clock: 0, length: 1000 }], []))).toBe(null);
	});

	it('rejects a delete set of 100,000 client ids, and one reaching far past what exists', () => {
		expect(reject(fakeClientsDeleteSet(100_000))).toBe('invalid');
		expect(reject(fakeClientsDeleteSet(DEFAULT_UPDATE_LIMITS.maxNewClients))).toBe(null);
		expect(reject(handUpdate([], [{ client: 5, ranges: [[0, 2 ** 40]] }]), () => 10)).toBe('invalid');
	});

	it('throws Yjs decoding errors on a truncated update', () => {
		expect(reject(handUpdate([{ client: 7, clock: 0, length: 5 }], []).slice(0, 4))).toBe('other');
	});
});

describe('parseDocName', () => {
	it('accepts one spelling per document and refuses leading zeros and over-long numbers', () => {
		for (const ok of ['record:1', 'record:10', 'agreement:204', 'doc-a', 'slow-0']) expect(parseDocName(ok), ok).not.toBeNull();
		for (const bad of ['record:01', 'record:007', 'agreement:00', 'record:1234567890123456', 'Record:1', 'record:1/x', ''])
			expect(parseDocName(bad), bad).toBeNull();
	});

	it('reads the kind and the id once', () => {
		expect(parseDocName('record:10')).toEqual({ name: 'record:10', kind: 'record', sessionId: 10 });
		expect(parseDocName('agreement:204')).toEqual({ name: 'agreement:204', kind: 'agreement', caseId: 204 });
		expect(parseDocName('record:x')).toEqual({ name: 'record:x', kind: 'other' });
	});
});

describe('ConnectionCaps', () => {
	it('counts per key up to the cap and gives back on release', () => {
		const caps = new ConnectionCaps<number>(2);
		expect([caps.tryTake(1), caps.tryTake(1), caps.tryTake(1), caps.tryTake(2)]).toEqual([true, true, false, true]);
		caps.release(1);
		expect(caps.tryTake(1)).toBe(true);
		expect(caps.count(1)).toBe(2);
	});
});

describe('upgradeAddress', () => {
	const req = (headers: Record<string, string>) => ({ headers, socket: { remoteAddress: '10.0.0.9' } }) as unknown as IncomingMessage;
	it("uses the socket's peer unless a header is configured, and the proxy's entry of X-Forwarded-For", () => {
		expect(upgradeAddress(undefined, 1)(req({ 'x-forwarded-for': '1.1.1.1' }))).toBe('10.0.0.9');
		expect(upgradeAddress('x-forwarded-for', 1)(req({ 'x-forwarded-for': 'spoofed, 203.0.113.5' }))).toBe('203.0.113.5');
		expect(upgradeAddress('x-real-ip', 1)(req({ 'x-real-ip': '203.0.113.7' }))).toBe('203.0.113.7');
		expect(() => upgradeAddress('x-real-ip', 1)(req({}))).toThrow();
	});
});
