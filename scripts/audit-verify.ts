/**
 * `npm run audit:verify [-- --head <count>:<hash>]`: walks the audit chain of the configured database
 * (DATABASE_URL, or the embedded PGlite under DATA_DIR) and prints the result and the current head.
 * With `--head`, also checks that the log still holds a head published earlier (printed on an
 * agreement, in a verification answer or a monthly report): the chain alone cannot show rows cut off
 * its end. Exit 0: intact (and the head is held); 1: broken, or the head is no longer there;
 * 2: the check could not run.
 *
 * With the embedded PGlite, stop the app first: two processes must never open one data directory.
 */
import { parseArgs } from 'node:util';
import { checkChainHead, formatChainHead, parseChainHead, readChainHead } from '../src/lib/server/audit/chain-head';
import { verifyAuditChain } from '../src/lib/server/audit/verify-chain';
import { closeDatabase, getDatabase } from '../src/lib/server/db';

let code = 2;
try {
	const { values } = parseArgs({ options: { head: { type: 'string', multiple: true } } });
	const heads = (values.head ?? []).map((text) => ({ text, head: parseChainHead(text) }));
	const bad = heads.find((h) => !h.head);
	if (bad) throw new Error(`--head must be <count>:<64 hex digits>, got ${JSON.stringify(bad.text)}`);
	const database = await getDatabase();
	const result = await verifyAuditChain(database.db);
	if (result.ok) {
		console.log(`audit chain intact: ${result.rows} rows (${database.kind})`);
		console.log(`head: ${formatChainHead(await readChainHead(database.db))}`);
		code = 0;
	} else {
		const why = result.reason === 'link' ? 'does not follow the row before it (a row was deleted or inserted)' : 'does not match its own content (the row was changed)';
		console.error(`audit chain BROKEN at row ${result.brokenAt}: it ${why}; ${result.rows - 1} rows before it verify (${database.kind})`);
		code = 1;
	}
	for (const { text, head } of heads) {
		const held = await checkChainHead(database.db, head!);
		if (held.ok) console.log(`published head ${text}: held`);
		else {
			code = 1;
			console.error(
				held.reason === 'short'
					? `published head ${text} is NOT held: the log has only ${held.rows} rows, so rows were cut off its end`
					: `published head ${text} is NOT held: row ${head!.count} now hashes to ${held.found}, so the log was rewritten from there on`
			);
		}
	}
} catch (err) {
	console.error('audit verification could not run:', err instanceof Error ? err.message : err);
}
await closeDatabase().catch((err) => console.error('closing the database failed:', err));
process.exit(code);
