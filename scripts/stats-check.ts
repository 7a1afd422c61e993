/**
 * `npm run stats:check`: recounts the statistics' maintained counts from the matters (the database's own
 * `case_stats_rebuild()`, in a transaction that is rolled back) and compares them with the kept ones.
 * Prints each difference (up to 20) and exits 1 when there is any, 0 when they all agree. Read-only;
 * on a large database it takes about as long as a rebuild, and holds the counts' table meanwhile.
 */
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { prepareDatabase } from '../src/lib/server/prepare';
import { checkStatCounts } from '../src/lib/server/stats/check-counts';

const started = performance.now();
try {
	await prepareDatabase();
	const { db } = await getDatabase();
	const { differences, total, rows } = await checkStatCounts(db);
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	for (const d of differences) {
		console.log(`county ${d.countyId} level ${d.level} ${d.month} township ${d.townshipId} village ${d.villageId} ${d.dim}=${d.key}: kept ${d.kept}, recounted ${d.recounted}`);
	}
	if (total > 0) console.log(`${total} of the counts differ from a recount (${rows} kept rows, ${seconds} s)`);
	else console.log(`the statistics' counts agree with a recount from the matters (${rows} rows, ${seconds} s)`);
	await closeDatabase();
	process.exit(total > 0 ? 1 : 0);
} catch (err) {
	console.error('stats:check failed:', err);
	await closeDatabase().catch(() => {});
	process.exit(2);
}
