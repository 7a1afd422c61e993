/**
 * `npm run audit:verify`: walks the audit chain of the configured database (DATABASE_URL, or the
 * embedded PGlite under DATA_DIR) and prints the result. Exit 0: intact; 1: broken, naming the first
 * row that fails; 2: the check could not run.
 *
 * With the embedded PGlite, stop the app first: two processes must never open one data directory.
 * The chain shows a changed, deleted or forged row; it cannot show rows cut off the end, so keep the
 * printed head hash somewhere else (a ticket, a signed note) and compare it next time.
 */
import { desc } from 'drizzle-orm';
import { verifyAuditChain } from '../src/lib/server/audit/verify-chain';
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { auditLog } from '../src/lib/server/db/schema';

let code = 2;
try {
	const database = await getDatabase();
	const result = await verifyAuditChain(database.db);
	if (result.ok) {
		const [head] = await database.db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
		console.log(`audit chain intact: ${result.rows} rows (${database.kind})`);
		if (head) console.log(`head: row ${head.id} ${head.hash}`);
		code = 0;
	} else {
		const why = result.reason === 'link' ? 'does not follow the row before it (a row was deleted or inserted)' : 'does not match its own content (the row was changed)';
		console.error(`audit chain BROKEN at row ${result.brokenAt}: it ${why}; ${result.rows - 1} rows before it verify (${database.kind})`);
		code = 1;
	}
} catch (err) {
	console.error('audit verification could not run:', err);
}
await closeDatabase().catch((err) => console.error('closing the database failed:', err));
process.exit(code);
