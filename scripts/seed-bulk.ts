/**
 * `npm run seed:bulk -- --cases 200000 [--counties 13] [--seed 2026] [--add]`: loads a realistic county's worth of
 * matters into the configured database (DATABASE_URL, or embedded PGlite under DATA_DIR), after the
 * migrations and on top of the demo county (loaded first when the database is empty).
 *
 * What it makes: the county grows to 18 townships of about eight villages, with a mediator, an agent
 * and a grid worker per township (bulk.tNN.*, demo password); matters spread over the last three years
 * with the channel and category mixes of a county petition office, statuses by age (old ones archived,
 * recent ones open, some overdue), ~15% repeats linked to an earlier matter of the same village,
 * escalations, department routing, parties with valid phones and ID numbers, and a timeline per
 * matter. Due dates come from the app's own clocks.
 *
 * With `--counties N` (N > 1) it builds a city (九江市) of N counties instead: the demo county is put
 * under the city, N − 1 counties beside it are each shaped like the bulk county (their staff are
 * bulk.kKK.tNN.*), the matters are spread over all N, and the city's supervisor `city.supervisor` is
 * made. Without it the database stays one county, as before.
 *
 * Idempotence: a second run refuses (and exits 0) when bulk data is there already — the bulk staff
 * accounts exist; `--add` adds the requested number of matters on top instead.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type postgres from 'postgres';
import { and, count, eq, getTableColumns, like, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { recordAudit } from '../src/lib/server/audit/record-audit';
import { shanghaiYear } from '../src/lib/server/cases/intake/case-number';
import { addDays, shanghaiDate } from '../src/lib/server/cases/shanghai-date';
import { storedDueDates } from '../src/lib/server/cases/work/stored-due-dates';
import { closeDatabase, getDatabase, type Db } from '../src/lib/server/db';
import { executeRows } from '../src/lib/server/db/execute-rows';
import { prepareDatabase } from '../src/lib/server/prepare';
import { caseCategories, caseEvents, caseNumberCounters, caseParties, cases, caseStatCounts, departments, places, studios, users } from '../src/lib/server/db/schema';
import { createUser } from '../src/lib/server/people/create-user';
import { createPlace } from '../src/lib/server/places/create-place';
import { DEMO_DEPARTMENTS, DEMO_PASSWORD, seedDemo } from '../src/lib/server/seed/demo';
import { CITY_COUNTIES, ensureCity, placeCountyInCity } from '../src/lib/server/seed/city';
import { generateMatter, type Area, type History, type Staff } from './seed-bulk-matter';
import { copyBatch, copyPart, reserveIds, rowKeys } from './seed-bulk-copy';
import { EXTRA_DEPARTMENTS, personName, Rng, TOWNSHIPS, villageNames } from './seed-bulk-data';

const { values: args } = parseArgs({
	options: {
		cases: { type: 'string', default: '200000' },
		counties: { type: 'string', default: '1' },
		seed: { type: 'string', default: '2026' },
		add: { type: 'boolean', default: false }
	},
	allowPositionals: false
});
const total = Number(args.cases);
if (!Number.isInteger(total) || total < 1 || total > 2_000_000) throw new Error('--cases must be a whole number from 1 to 2,000,000');
const countyCount = Number(args.counties);
if (!Number.isInteger(countyCount) || countyCount < 1 || countyCount > 50) throw new Error('--counties must be a whole number from 1 to 50');
const rng = new Rng(Number(args.seed) || 2026);
/** Matters per batch: one statement each on PGlite, three COPYs in one transaction on PostgreSQL. */
const BATCH = 1000;
const COPY_BATCH = 5000;
/** The matters' text search index, and its pending list during a PostgreSQL load (64 MB; the default is 4). */
const SEARCH_INDEX = 'cases_search_grams_idx';
const LOAD_PENDING_LIST_KB = 65_536;
/** From this many matters on, the secondary indexes are dropped for the load and built again after it. */
const INDEX_REBUILD_FROM = 20_000;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

try {
	await prepareDatabase();
	const database = await getDatabase();
	const db = database.db;
	await seedDemo(db, { onlyIfEmpty: true });
	console.log(`database ready (${database.kind}, ${elapsed()})`);
	const [{ n: bulkStaff }] = await db.select({ n: count() }).from(users).where(like(users.username, 'bulk.%'));
	if (bulkStaff > 0 && !args.add) {
		console.log('bulk data is already loaded (bulk.* staff exist); nothing done. Pass --add to add more matters.');
	} else {
		console.log(`seeding ${total.toLocaleString('en')} matters …`);
		const units: Unit[] = [];
		for (const [index, county] of (await ensureCounties(db)).entries()) {
			const areas = await ensurePlaces(db, county);
			const staff = await ensureStaff(db, county, areas, index);
			units.push({ county, areas, staff });
			console.log(`  county ${index + 1}/${countyCount}: ${areas.length} villages and townships in 18 townships, staff ready (${elapsed()})`);
		}
		// The statistics' counts are kept by per-row triggers; for a bulk load they are switched off and
		// the counts rebuilt from all matters at the end (in a finally, so they are never left off).
		await db.execute(sql`alter table ${cases} disable trigger case_stats_insert_delete`);
		// A large load goes in without the secondary indexes of the three tables it fills, which are built
		// again at the end. Except, on PostgreSQL, the search index (GIN over the text's bigrams): built after
		// the load it took as long as the load itself, on one core; kept, with a large pending list, the
		// server folds each batch's bigrams into it while Node generates the next batch, on the other core
		// (200,000 matters: 137 s in all instead of 245 s). PGlite, one process, has no second core to use.
		const keepSearchIndex = database.kind === 'postgres';
		const dropped: { name: string; definition: string }[] = [];
		const droppedKeys: ForeignKey[] = [];
		let loaded = false;
		try {
			if (total >= INDEX_REBUILD_FROM) {
				await dropSecondaryIndexes(db, dropped, keepSearchIndex);
				if (keepSearchIndex) await db.execute(sql.raw(`alter index ${SEARCH_INDEX} set (gin_pending_list_limit = ${LOAD_PENDING_LIST_KB})`));
				await dropForeignKeys(db, droppedKeys);
			}
			const [{ last }] = await db.select({ last: sql<number | null>`max(${cases.id})` }).from(cases);
			await insertMatters(db, units, database.kind === 'postgres' ? postgresClient(db) : null);
			await giveToStudios(db, Number(last ?? 0));
			loaded = true;
		} finally {
			if (keepSearchIndex && total >= INDEX_REBUILD_FROM) await db.execute(sql.raw(`alter index ${SEARCH_INDEX} reset (gin_pending_list_limit)`));
			await finishLoad(db, database.kind, dropped, droppedKeys, loaded);
		}
		console.log(`done: ${total.toLocaleString('en')} matters in ${elapsed()}`);
	}
	await closeDatabase();
} catch (err) {
	console.error('bulk seeding failed:', err);
	await closeDatabase().catch(() => {});
	process.exit(1);
}

type County = { id: number; path: string; cityId: number | null };
/** One county's share of the load: its places and its staff. */
type Unit = { county: County; areas: Area[]; staff: Staff };

/**
 * The counties to fill: the demo county alone, or (`--counties N`) the city of N counties, the demo
 * county first. Putting the demo county under the city rewrites its paths, before any bulk matter.
 */
async function ensureCounties(db: Db): Promise<County[]> {
	const [first] = await db
		.select({ id: places.id, path: places.path, parentId: places.parentId })
		.from(places)
		.where(eq(places.kind, 'county'))
		.orderBy(places.id)
		.limit(1);
	if (!first) throw new Error('no county in the database');
	if (countyCount === 1) return [{ id: first.id, path: first.path, cityId: first.parentId }];
	const city = await ensureCity(db);
	if (first.parentId == null) await placeCountyInCity(db, first.id, city);
	const inCity = await db
		.select({ id: places.id, path: places.path, name: places.name })
		.from(places)
		.where(and(eq(places.kind, 'county'), eq(places.parentId, city.id)))
		.orderBy(places.id);
	const counties: County[] = inCity.map((c) => ({ id: c.id, path: c.path, cityId: city.id }));
	const names = new Set(inCity.map((c) => c.name));
	const wanted = [...CITY_COUNTIES, ...Array.from({ length: 50 }, (_, i) => `第${i + CITY_COUNTIES.length + 1}县`)].filter((n) => !names.has(n));
	while (counties.length < countyCount) {
		const created = await createPlace(db, null, { name: wanted.shift()!, parentId: city.id });
		counties.push({ id: created.id, path: created.path, cityId: city.id });
	}
	return counties.slice(0, countyCount);
}

/**
 * Gives about one new matter in 250 that was accepted to a studio of its county serving its place (the
 * demo's county studio and township studio), from three days after it came in, so the studio pages and
 * the statistics' "by studio" rows have figures at scale. Assigning touches no statistics' count.
 */
async function giveToStudios(db: Db, after: number) {
	await db.execute(sql`update ${cases} c set studio_id = s.id,
			studio_assigned_at = least(c.registered_at + interval '3 days', coalesce(c.concluded_at, now()))
		from ${studios} s join ${places} p on p.id = s.place_id
		where c.id > ${after} and c.studio_id is null and c.accepted_at is not null and c.county_id = s.county_id
			and (p.kind = 'county' or c.township_id = p.id) and c.id % 250 = s.id % 250`);
	const [{ n }] = await db.select({ n: count() }).from(cases).where(sql`${cases.id} > ${after} and ${cases.studioId} is not null`);
	console.log(`  ${n.toLocaleString('en')} matters given to studios (${elapsed()})`);
}

/**
 * Drops the indexes of cases, case_parties and case_events that back no constraint (the primary keys and
 * unique numbers stay, so ids and numbers are still checked), each added to `dropped` once it is gone.
 * Their definitions are printed too: were the load killed before `finishLoad`, they are what to run by hand.
 */
async function dropSecondaryIndexes(db: Db, dropped: { name: string; definition: string }[], keepSearchIndex: boolean): Promise<void> {
	const indexes = await executeRows<{ name: string; definition: string }>(
		db,
		sql`select i.indexrelid::regclass::text as "name", pg_get_indexdef(i.indexrelid) as "definition"
			from pg_index i
			where i.indrelid in ('cases'::regclass, 'case_parties'::regclass, 'case_events'::regclass)
				and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid) and (${!keepSearchIndex} or i.indexrelid <> ${SEARCH_INDEX}::regclass)
			order by 1`
	);
	console.log(`  building ${indexes.length} indexes after the load instead of during it; should the load be stopped, recreate them with:`);
	for (const index of indexes) console.log(`    ${index.definition};`);
	for (const index of indexes) {
		await db.execute(sql`drop index ${sql.identifier(index.name)}`);
		dropped.push(index);
	}
}

type ForeignKey = { table: string; name: string; definition: string };

/**
 * Drops the foreign keys of cases, case_parties and case_events (each added to `dropped` once it is
 * gone), to be added back after the load. Checked row by row, a matter's fourteen references and its
 * parties' and events' cost more than the rest of its insert; added back, each is checked once over the
 * whole table (one join). Like the indexes, their definitions are printed first.
 */
async function dropForeignKeys(db: Db, dropped: ForeignKey[]): Promise<void> {
	const keys = await executeRows<ForeignKey>(
		db,
		sql`select c.conrelid::regclass::text as "table", c.conname as "name", pg_get_constraintdef(c.oid) as "definition"
			from pg_constraint c
			where c.contype = 'f' and c.conrelid in ('cases'::regclass, 'case_parties'::regclass, 'case_events'::regclass)
			order by 1, 2`
	);
	console.log(`  checking ${keys.length} foreign keys once after the load instead of row by row; should the load be stopped, add them back with:`);
	for (const key of keys) console.log(`    alter table ${key.table} add constraint ${key.name} ${key.definition};`);
	for (const key of keys) {
		await db.execute(sql`alter table ${sql.identifier(key.table)} drop constraint ${sql.identifier(key.name)}`);
		dropped.push(key);
	}
}

/**
 * After the load (and after a failed one, so nothing is left off): the foreign keys back, each checked once over
 * its whole table (first, as adding one waits for any index build on its tables), the statistics' trigger on,
 * the dropped indexes built, the counts rebuilt from all matters, and after a load that went through, fresh
 * planner statistics and visibility maps (`vacuum analyze`, so index-only scans can skip the heap).
 *
 * On PostgreSQL the counts are rebuilt on a second connection while the indexes are built (reading the
 * matters, it waits for no index build; the vacuum of the matters would, so it comes after them). A bulk load
 * runs alone, so each build gets a generous sort memory; the embedded database's is smaller, and it does one
 * thing at a time.
 */
async function finishLoad(db: Db, kind: 'postgres' | 'pglite', indexes: { name: string; definition: string }[], keys: ForeignKey[], loaded: boolean) {
	for (const key of keys) await db.execute(sql.raw(`alter table ${key.table} add constraint ${key.name} ${key.definition}`));
	if (keys.length) console.log(`  ${keys.length} foreign keys added back and checked (${elapsed()})`);
	await db.execute(sql`alter table ${cases} enable trigger case_stats_insert_delete`);
	const build = async (index: { name: string; definition: string }, memory: string) => {
		await db.transaction(async (tx) => {
			await tx.execute(sql.raw(`set local maintenance_work_mem = '${memory}'`));
			await tx.execute(sql.raw(index.definition));
		});
		console.log(`  index ${index.name} built (${elapsed()})`);
	};
	const indexesThenVacuum = async () => {
		for (const index of indexes) await build(index, kind === 'postgres' ? '512MB' : '128MB');
		if (loaded) {
			console.log(`  vacuum analyze … (${elapsed()})`);
			// Also folds what is left in the search index's pending list into the index.
			for (const table of [caseParties, caseEvents, cases]) await db.execute(sql`vacuum (analyze) ${table}`);
		}
	};
	const counts = async () => {
		console.log(`  statistics' counts … (${elapsed()})`);
		await db.execute(sql`select case_stats_rebuild()`);
		if (loaded) await db.execute(sql`vacuum (analyze) ${caseStatCounts}`);
		console.log(`  statistics' counts rebuilt (${elapsed()})`);
	};
	if (kind === 'postgres') {
		// Both run to their end before a failure is reported: the connection must not close under either.
		const failed = (await Promise.allSettled([indexesThenVacuum(), counts()])).find((r) => r.status === 'rejected');
		if (failed) throw failed.reason;
	} else {
		await indexesThenVacuum();
		await counts();
	}
}

/** 18 townships of about eight villages each, keeping whatever exists. Returns every place a matter can arise in. */
async function ensurePlaces(db: Db, county: { id: number }): Promise<Area[]> {
	const existing = await db.select({ id: places.id, parentId: places.parentId, name: places.name, kind: places.kind, path: places.path }).from(places);
	const areas: Area[] = [];
	for (const [index, townshipName] of TOWNSHIPS.entries()) {
		let township = existing.find((p) => p.kind === 'township' && p.parentId === county.id && p.name === townshipName);
		if (!township) {
			const created = await createPlace(db, null, { name: townshipName, parentId: county.id });
			township = { id: created.id, parentId: county.id, name: townshipName, kind: 'township', path: created.path };
		}
		const villages = existing.filter((p) => p.parentId === township!.id);
		const wanted = 7 + (index % 3);
		for (const name of villageNames(rng, Math.max(0, wanted - villages.length), new Set(villages.map((v) => v.name)))) {
			const created = await createPlace(db, null, { name, parentId: township.id });
			villages.push({ id: created.id, parentId: township.id, name, kind: 'village', path: created.path });
		}
		// The county seat and the bigger towns raise more matters.
		const weight = index === 0 ? 3 : index < 6 ? 1.5 : 1;
		areas.push({ townshipId: township.id, townshipName, townshipIndex: index, villageId: null, villageName: null, path: township.path, weight: weight * 0.4 });
		for (const v of villages) areas.push({ townshipId: township.id, townshipName, townshipIndex: index, villageId: v.id, villageName: v.name, path: v.path, weight: weight });
	}
	return areas;
}

/** Staff per township and the county's departments; the demo county (index 0) keeps the demo's accounts. */
async function ensureStaff(db: Db, county: { id: number }, areas: Area[], index: number): Promise<Staff> {
	const ofCounty = eq(departments.countyId, county.id);
	const existingDepts = new Set((await db.select({ name: departments.name }).from(departments).where(ofCounty)).map((d) => d.name));
	// A county other than the demo one gets the demo county's six departments as well.
	const missing = [...(index === 0 ? [] : DEMO_DEPARTMENTS), ...EXTRA_DEPARTMENTS].filter((name) => !existingDepts.has(name));
	if (missing.length) await db.insert(departments).values(missing.map((name) => ({ countyId: county.id, name })));
	const deptIds = new Map((await db.select({ id: departments.id, name: departments.name }).from(departments).where(ofCounty)).map((d) => [d.name, d.id]));

	const byUsername = new Map((await db.select({ id: users.id, username: users.username }).from(users)).map((u) => [u.username, u.id]));
	const townshipStaff = new Map<number, { mediator: number; agent: number; grid: number }>();
	for (const area of areas.filter((a) => a.villageId === null)) {
		const ids = { mediator: 0, agent: 0, grid: 0 };
		for (const [key, role, title] of [['mediator', 'mediator', '调解员'], ['agent', 'agent', '代办员'], ['grid', 'grid_worker', '网格员']] as const) {
			const username = `bulk.${index === 0 ? '' : `k${String(index + 1).padStart(2, '0')}.`}t${String(area.townshipIndex + 1).padStart(2, '0')}.${key}`;
			ids[key] =
				byUsername.get(username) ??
				(await createUser(db, null, { name: `${title} ${personName(rng)}`, username, phone: null, placeId: area.townshipId, roles: [role], password: DEMO_PASSWORD })).id;
		}
		townshipStaff.set(area.townshipId, ids);
	}
	const demo = (name: string) => (index === 0 ? (byUsername.get(name) ?? null) : null);
	return {
		townships: townshipStaff,
		departments: deptIds,
		demo: { mediator: demo('mediator'), agent: demo('agent'), grid: demo('grid'), party: demo('party'), supervisor: demo('supervisor') }
	};
}

/** The drizzle database's own postgres.js client, for COPY. */
function postgresClient(db: Db): postgres.Sql {
	return (db as unknown as { $client: postgres.Sql }).$client;
}

/**
 * Generates and writes the matters, batch by batch. One batch is written while the next is generated:
 * Node makes matters while the database stores them. On PostgreSQL (`client`) a batch's ids are drawn
 * first and it goes in by COPY (seed-bulk-copy.ts); on PGlite as one statement of JSON rows.
 */
async function insertMatters(db: Db, units: Unit[], client: postgres.Sql | null) {
	const categories = new Map((await db.select({ id: caseCategories.id, code: caseCategories.code }).from(caseCategories)).map((c) => [c.code, c.id]));
	const counters = new Map((await db.select().from(caseNumberCounters)).map((c) => [c.year, c.last]));
	const now = new Date();
	const times = registrationTimes(total, now);
	// Earlier matters per village, for repeats: only those of batches already written (the batch being
	// written is not in `history` yet, so a repeat links to a matter at least one batch older: a few days
	// of a county's matters at most).
	const history: History = new Map();
	const batch = client ? COPY_BATCH : BATCH;
	let reported = 0;
	let generating = 0;
	let waiting = 0;
	let writing: Promise<void> | null = null;

	for (let start = 0; start < total; start += batch) {
		const size = Math.min(batch, total - start);
		const idStart = performance.now();
		const ids = client ? await reserveIds(client, 'cases', size) : null;
		const genStart = performance.now();
		waiting += genStart - idStart;
		const matters = times.slice(start, start + size).map((registeredAt) => {
			const year = shanghaiYear(registeredAt);
			const seq = (counters.get(year) ?? 0) + 1;
			counters.set(year, seq);
			// Spread evenly over the counties (one county draws nothing, so its data stay as they were).
			const { county, areas, staff } = units.length === 1 ? units[0] : units[rng.int(0, units.length - 1)];
			return generateMatter(rng, { registeredAt, now, number: `${year}-${String(seq).padStart(6, '0')}`, county, areas, staff, categories, history });
		});
		// Nobody was given a query code for these: a random value stands in for its hash, so no code opens them.
		const hashes = randomBytes(32 * matters.length).toString('hex');
		const rows = matters.map((m, i) => ({ ...m.row, ...storedDueDates(m.clocks), queryCodeHash: hashes.slice(64 * i, 64 * (i + 1)) }));
		const send = client && ids ? copySender(client, rows, matters, ids) : jsonSender(db, rows, matters);
		const waitStart = performance.now();
		generating += waitStart - genStart;
		if (writing) await writing;
		waiting += performance.now() - waitStart;
		writing = send().then((written) => {
			matters.forEach((m, i) => {
				const list = history.get(m.areaKey) ?? [];
				const { name, phone, idNumber } = m.parties[0];
				list.push({ id: written[i], categoryCode: m.categoryCode, applicant: { name, phone, idNumber } });
				if (list.length > 40) list.shift();
				history.set(m.areaKey, list);
			});
		});
		// A failed write is thrown where it is awaited; until then it must not count as unhandled.
		writing.catch(() => {});
		const done = start + size;
		if (done * 20 >= (reported + 1) * total || done === total) {
			reported = Math.floor((done * 20) / total);
			console.log(`  ${done.toLocaleString('en').padStart(9)} / ${total.toLocaleString('en')} matters  ${elapsed()}`);
		}
	}
	const waitStart = performance.now();
	await writing;
	waiting += performance.now() - waitStart;
	await db.transaction(async (tx) => {
		for (const [year, last] of counters) {
			await tx
				.insert(caseNumberCounters)
				.values({ year, last })
				.onConflictDoUpdate({ target: caseNumberCounters.year, set: { last: sql`greatest(${caseNumberCounters.last}, excluded.last)` } });
		}
		await recordAudit(tx, { action: 'case.seed_bulk', actorId: null, data: { cases: total, seed: Number(args.seed) } });
	});
	console.log(`  generating ${(generating / 1000).toFixed(1)} s, waiting for the database ${(waiting / 1000).toFixed(1)} s`);
}

/** A batch encoded for COPY now (while the previous one is written), sent when called; answers the matters' ids. */
function copySender(client: postgres.Sql, rows: Record<string, unknown>[], matters: Generated[], ids: number[]): () => Promise<number[]> {
	const perMatter = <T>(list: (m: Generated) => T[]) => {
		const owners: number[] = [];
		const flat = matters.flatMap((m, i) => list(m).map((item) => (owners.push(ids[i]), item)));
		return { rows: flat as Record<string, unknown>[], owners };
	};
	const parties = perMatter((m) => m.parties);
	const events = perMatter((m) => m.events);
	const parts = [
		copyPart(cases, rows, { column: 'id', values: ids }),
		copyPart(caseParties, parties.rows, { column: 'case_id', values: parties.owners }),
		copyPart(caseEvents, events.rows, { column: 'case_id', values: events.owners })
	];
	return () => copyBatch(client, parts).then(() => ids);
}

/** A batch as one statement of JSON rows (insertBatch), sent when called; answers the matters' ids. */
function jsonSender(db: Db, rows: Record<string, unknown>[], matters: Generated[]): () => Promise<number[]> {
	const statement = insertBatch(rows, matters);
	return () =>
		db.execute(statement).then((result) => {
			const idOf = new Map(resultRows<{ id: number; number: string }>(result).map((r) => [r.number, Number(r.id)]));
			return matters.map((m) => idOf.get(m.row.number)!);
		});
}

type Generated = ReturnType<typeof generateMatter>;

/**
 * One batch as one statement: the matters, then their parties and events joined to the new matters'
 * ids by number, all in one round trip (so the next batch is generated while it runs) and atomically.
 * Rows go in as JSON unpacked by jsonb_to_recordset: the same SQL on PGlite and PostgreSQL, and several
 * times cheaper than thousands of bound parameters (measured on PGlite: about a fifth of the CPU of a
 * multi-row VALUES insert). Returns the new matters' ids and numbers.
 */
function insertBatch(rows: Record<string, unknown>[], matters: Generated[]): SQL {
	const c = recordset(cases, rows);
	const p = recordset(caseParties, matters.flatMap((m) => m.parties.map((party) => ({ ...party, caseNumber: m.row.number }))));
	const e = recordset(caseEvents, matters.flatMap((m) => m.events.map((event) => ({ ...event, caseNumber: m.row.number }))));
	return sql`with c as (insert into ${cases} (${c.columns}) select ${c.values} from ${c.source} returning id, number),
		p as (insert into ${caseParties} (case_id, ${p.columns}) select c.id, ${p.values} from ${p.source} join c on c.number = x."caseNumber"),
		e as (insert into ${caseEvents} (case_id, ${e.columns}) select c.id, ${e.values} from ${e.source} join c on c.number = x."caseNumber")
		select id, number from c`;
}

/**
 * Rows as `jsonb_to_recordset(<json>) as x(<keys with their columns' types>)`, the table's columns they
 * fill and the matching `x."key"` list. The JSON keeps the rows' own property names (no copy of a
 * million rows to rename them); `caseNumber` (parties, events) names the matter a row belongs to.
 */
function recordset(table: PgTable, rows: Record<string, unknown>[]): { columns: SQL; values: SQL; source: SQL } {
	const all = getTableColumns(table);
	const keys = rowKeys(table, rows);
	const shape = sql.raw([...keys.map((k) => `"${k}" ${all[k].getSQLType()}`), '"caseNumber" text'].join(', '));
	return {
		columns: sql.join(keys.map((k) => sql.identifier(all[k].name)), sql`, `),
		values: sql.join(keys.map((k) => sql`x.${sql.identifier(k)}`), sql`, `),
		source: sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${shape})`
	};
}

/** postgres.js answers with an array, PGlite with `{ rows }`. */
function resultRows<R>(result: unknown): R[] {
	return (Array.isArray(result) ? result : (result as { rows: R[] }).rows) as R[];
}

/**
 * Registration instants over the last three years, oldest first: a little more recent than old
 * (the online hall grew), mostly office hours on working days, none in the future.
 */
function registrationTimes(n: number, now: Date): Date[] {
	const span = 3 * 365;
	const today = shanghaiDate(now);
	const out: number[] = [];
	while (out.length < n) {
		const age = rng.next();
		if (rng.next() > (1.3 - 0.6 * age) / 1.3) continue;
		const day = addDays(today, -Math.floor(age * span));
		const dow = new Date(`${day}T12:00:00+08:00`).getUTCDay();
		if ((dow === 0 || dow === 6) && rng.chance(0.65)) continue;
		const minutes = rng.chance(0.85) ? rng.int(8 * 60, 18 * 60) : rng.int(0, 24 * 60 - 1);
		const at = new Date(`${day}T00:00:00+08:00`).getTime() + minutes * 60_000 + rng.int(0, 59_999);
		out.push(at > now.getTime() ? now.getTime() - rng.int(60_000, 3_600_000) : at);
	}
	return out.sort((a, b) => a - b).map((t) => new Date(t));
}
