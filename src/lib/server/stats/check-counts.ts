import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';

/** One count that the maintained table and a recount from the matters disagree on. */
export interface CountDifference {
	countyId: number;
	level: number;
	month: string;
	townshipId: number;
	villageId: number;
	dim: string;
	key: string;
	kept: number;
	recounted: number;
}

class RolledBack extends Error {}

/**
 * Recounts the statistics' counts (`case_stat_counts`, kept by triggers) from the matters and lists
 * every count that differs. The recount is the database's own `case_stats_rebuild()`, run inside a
 * repeatable-read transaction on a copy taken in the same snapshot and then rolled back: the check
 * follows whatever figures the migrations define and changes nothing. Zero counts are left out of both
 * sides (a trigger leaves a zero behind where a rebuild writes no row).
 */
export async function checkStatCounts(db: Db, limit = 20): Promise<{ differences: CountDifference[]; total: number; rows: number }> {
	let result: { differences: CountDifference[]; total: number; rows: number } | undefined;
	await db
		.transaction(
			async (tx) => {
				await tx.execute(sql`create temporary table kept_counts on commit drop as select * from case_stat_counts where n <> 0`);
				await tx.execute(sql`select case_stats_rebuild()`);
				const diff = sql`select coalesce(k.county_id, r.county_id) as "countyId", coalesce(k.level, r.level) as level,
						coalesce(k.month, r.month)::text as month, coalesce(k.township_id, r.township_id) as "townshipId",
						coalesce(k.village_id, r.village_id) as "villageId", coalesce(k.dim, r.dim) as dim, coalesce(k.key, r.key) as key,
						coalesce(k.n, 0) as kept, coalesce(r.n, 0) as recounted
					from kept_counts k
					full join (select * from case_stat_counts where n <> 0) r
						using (county_id, level, month, township_id, village_id, dim, key)
					where k.n is distinct from r.n`;
				const [{ n }] = await executeRows<{ n: unknown }>(tx, sql`select count(*) as n from (${diff}) d`);
				const [{ rows }] = await executeRows<{ rows: unknown }>(tx, sql`select count(*) as rows from kept_counts`);
				const differences = await executeRows<CountDifference>(tx, sql`${diff} order by 1, 2, 3, 4, 5, 6, 7 limit ${limit}`);
				result = { differences, total: Number(n), rows: Number(rows) };
				throw new RolledBack();
			},
			{ isolationLevel: 'repeatable read' }
		)
		.catch((err: unknown) => {
			if (!(err instanceof RolledBack)) throw err;
		});
	return result!;
}
