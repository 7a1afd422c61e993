import { describe, expect, it } from 'vitest';
import { checkChainHead, formatChainHead, parseChainHead } from '../../src/lib/server/audit/chain-head';
import { recordAudit } from '../../src/lib/server/audit/record-audit';
import type { Db, Tx } from '../../src/lib/server/db';

describe('recordAudit takes a transaction only', () => {
	it('does not type-check with a plain database handle (svelte-check covers this file)', () => {
		// Never called: the assertions are the compiler's. A transaction-scoped advisory lock taken on a
		// plain handle ends with its own statement, and concurrent appenders then fork the chain.
		const typeOnly = (db: Db, tx: Tx) => {
			// @ts-expect-error a Db is not a Tx
			void recordAudit(db, { action: 'auth.logout', actorId: null, data: {} });
			void recordAudit(tx, { action: 'auth.logout', actorId: null, data: {} });
		};
		expect(typeOnly).toBeTypeOf('function');
	});

	it('refuses a plain handle cast past the type, before writing', async () => {
		const db = { execute: () => Promise.resolve([]) } as unknown as Tx;
		await expect(recordAudit(db, { action: 'auth.logout', actorId: null, data: {} })).rejects.toThrow('recordAudit needs a transaction');
	});
});

describe('published chain heads', () => {
	it('reads back what it prints, and nothing else', () => {
		const head = { count: 1234, hash: 'ab'.repeat(32) };
		expect(parseChainHead(formatChainHead(head))).toEqual(head);
		expect(parseChainHead(` 1234:${'AB'.repeat(32)} `)).toEqual(head);
		for (const bad of ['', '1234', `x:${'ab'.repeat(32)}`, `12:${'ab'.repeat(31)}`, `-1:${'ab'.repeat(32)}`, `12:${'zz'.repeat(32)}`]) expect(parseChainHead(bad)).toBeNull();
	});

	it('accepts the empty head only on its genesis hash', async () => {
		const none = {} as Db;
		expect(await checkChainHead(none, { count: 0, hash: '0'.repeat(64) })).toEqual({ ok: true });
		expect(await checkChainHead(none, { count: 0, hash: 'a'.repeat(64) })).toMatchObject({ ok: false, reason: 'mismatch' });
	});
});
