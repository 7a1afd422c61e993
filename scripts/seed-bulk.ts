/**
 * `npm run seed:bulk -- --cases 200000 [--seed 2026] [--add]`: loads a realistic county's worth of
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
 * Idempotence: a second run refuses (and exits 0) when bulk data is there already — the bulk staff
 * accounts exist; `--add` adds the requested number of matters on top instead.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { count, eq, getTableColumns, like, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { recordAudit } from '../src/lib/server/audit/record-audit';
import { shanghaiYear } from '../src/lib/server/cases/intake/case-number';
import { addDays, shanghaiDate } from '../src/lib/server/cases/shanghai-date';
import { storedDueDates } from '../src/lib/server/cases/work/stored-due-dates';
import { closeDatabase, getDatabase, type Db, type Tx } from '../src/lib/server/db';
import { prepareDatabase } from '../src/lib/server/db/prepare';
import { caseCategories, caseEvents, caseNumberCounters, caseParties, cases, caseStatCounts, departments, places, users } from '../src/lib/server/db/schema';
import { createUser } from '../src/lib/server/people/create-user';
import { createPlace } from '../src/lib/server/places/create-place';
import { DEMO_PASSWORD, seedDemo } from '../src/lib/server/seed/demo';
import { generateMatter, type Area, type History, type Staff } from './seed-bulk-matter';
import { EXTRA_DEPARTMENTS, personName, Rng, TOWNSHIPS, villageNames } from './seed-bulk-data';

const { values: args } = parseArgs({
	options: { cases: { type: 'string', default: '200000' }, seed: { type: 'string', default: '2026' }, add: { type: 'boolean', default: false } },
	allowPositionals: false
});
const total = Number(args.cases);
if (!Number.isInteger(total) || total < 1 || total > 2_000_000) throw new Error('--cases must be a whole number from 1 to 2,000,000');
const rng = new Rng(Number(args.seed) || 2026);
const BATCH = 1000;
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
		const county = await ensureCounty(db);
		const areas = await ensurePlaces(db, county);
		console.log(`  places: ${areas.length} villages and townships in 18 townships (${elapsed()})`);
		const staff = await ensureStaff(db, county, areas);
		console.log(`  staff ready (${elapsed()})`);
		// The statistics' counts are kept by per-row triggers; for a bulk load they are switched off and
		// the counts rebuilt from all matters at the end (in a finally, so they are never left off).
		await db.execute(sql`alter table ${cases} disable trigger case_stats_insert_delete`);
		try {
			await insertMatters(db, county, areas, staff);
		} finally {
			await db.execute(sql`alter table ${cases} enable trigger case_stats_insert_delete`);
			console.log(`  statistics' counts …`);
			await db.execute(sql`select case_stats_rebuild()`);
		}
		// Fresh statistics for the planner, and the visibility map set so index-only scans can skip the heap.
		console.log(`  vacuum analyze …`);
		for (const table of [cases, caseParties, caseEvents, caseStatCounts]) await db.execute(sql`vacuum (analyze) ${table}`);
		console.log(`done: ${total.toLocaleString('en')} matters in ${elapsed()}`);
	}
	await closeDatabase();
} catch (err) {
	console.error('bulk seeding failed:', err);
	await closeDatabase().catch(() => {});
	process.exit(1);
}

async function ensureCounty(db: Db): Promise<{ id: number; path: string }> {
	const [county] = await db.select({ id: places.id, path: places.path }).from(places).where(eq(places.kind, 'county')).orderBy(places.id).limit(1);
	if (!county) throw new Error('no county in the database');
	return county;
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

async function ensureStaff(db: Db, county: { id: number }, areas: Area[]): Promise<Staff> {
	const existingDepts = new Set((await db.select({ name: departments.name }).from(departments)).map((d) => d.name));
	const missing = EXTRA_DEPARTMENTS.filter((name) => !existingDepts.has(name));
	if (missing.length) await db.insert(departments).values(missing.map((name) => ({ countyId: county.id, name })));
	const deptIds = new Map((await db.select({ id: departments.id, name: departments.name }).from(departments)).map((d) => [d.name, d.id]));

	const byUsername = new Map((await db.select({ id: users.id, username: users.username }).from(users)).map((u) => [u.username, u.id]));
	const townshipStaff = new Map<number, { mediator: number; agent: number; grid: number }>();
	for (const area of areas.filter((a) => a.villageId === null)) {
		const ids = { mediator: 0, agent: 0, grid: 0 };
		for (const [key, role, title] of [['mediator', 'mediator', '调解员'], ['agent', 'agent', '代办员'], ['grid', 'grid_worker', '网格员']] as const) {
			const username = `bulk.t${String(area.townshipIndex + 1).padStart(2, '0')}.${key}`;
			ids[key] =
				byUsername.get(username) ??
				(await createUser(db, null, { name: `${title} ${personName(rng)}`, username, phone: null, placeId: area.townshipId, roles: [role], password: DEMO_PASSWORD })).id;
		}
		townshipStaff.set(area.townshipId, ids);
	}
	const demo = (name: string) => byUsername.get(name) ?? null;
	return {
		townships: townshipStaff,
		departments: deptIds,
		demo: { mediator: demo('mediator'), agent: demo('agent'), grid: demo('grid'), party: demo('party'), supervisor: demo('supervisor') }
	};
}

async function insertMatters(db: Db, county: { id: number; path: string }, areas: Area[], staff: Staff) {
	const categories = new Map((await db.select({ id: caseCategories.id, code: caseCategories.code }).from(caseCategories)).map((c) => [c.code, c.id]));
	const counters = new Map((await db.select().from(caseNumberCounters)).map((c) => [c.year, c.last]));
	const now = new Date();
	const times = registrationTimes(total, now);
	// Earlier matters per village, for repeats: only those of previous batches, which have ids.
	const history: History = new Map();
	let reported = 0;
	let generating = 0;
	let writing = 0;

	for (let start = 0; start < total; start += BATCH) {
		const genStart = performance.now();
		const matters = times.slice(start, start + BATCH).map((registeredAt) => {
			const year = shanghaiYear(registeredAt);
			const seq = (counters.get(year) ?? 0) + 1;
			counters.set(year, seq);
			return generateMatter(rng, { registeredAt, now, number: `${year}-${String(seq).padStart(6, '0')}`, county, areas, staff, categories, history });
		});
		// Nobody was given a query code for these: a random value stands in for its hash, so no code opens them.
		const rows = matters.map((m) => ({ ...m.row, ...storedDueDates(m.clocks), queryCodeHash: randomBytes(32).toString('hex') }));
		const dbStart = performance.now();
		generating += dbStart - genStart;
		await db.transaction(async (tx) => {
			const inserted = await insertRows<{ id: number; number: string }>(tx, cases, rows, sql`returning id, number`);
			const idOf = new Map(inserted.map((r) => [r.number, Number(r.id)]));
			await insertRows(tx, caseParties, matters.flatMap((m) => m.parties.map((p) => ({ ...p, caseId: idOf.get(m.row.number)! }))));
			await insertRows(tx, caseEvents, matters.flatMap((m) => m.events.map((e) => ({ ...e, caseId: idOf.get(m.row.number)! }))));
			for (const m of matters) {
				const list = history.get(m.areaKey) ?? [];
				const { name, phone, idNumber } = m.parties[0];
				list.push({ id: idOf.get(m.row.number)!, categoryCode: m.categoryCode, applicant: { name, phone, idNumber } });
				if (list.length > 40) list.shift();
				history.set(m.areaKey, list);
			}
			const done = Math.min(start + BATCH, total);
			if (done === total) {
				for (const [year, last] of counters) {
					await tx
						.insert(caseNumberCounters)
						.values({ year, last })
						.onConflictDoUpdate({ target: caseNumberCounters.year, set: { last: sql`greatest(${caseNumberCounters.last}, excluded.last)` } });
				}
				await recordAudit(tx, { action: 'case.seed_bulk', actorId: null, data: { cases: total, seed: Number(args.seed) } });
			}
		});
		writing += performance.now() - dbStart;
		const done = Math.min(start + BATCH, total);
		if (done * 20 >= (reported + 1) * total || done === total) {
			reported = Math.floor((done * 20) / total);
			console.log(`  ${done.toLocaleString('en').padStart(9)} / ${total.toLocaleString('en')} matters  ${elapsed()}`);
		}
	}
	console.log(`  generating ${(generating / 1000).toFixed(1)} s, writing ${(writing / 1000).toFixed(1)} s`);
}

/**
 * Inserts rows as one JSON parameter unpacked by jsonb_to_recordset: the same SQL on PGlite and
 * PostgreSQL, and several times cheaper than thousands of bound parameters (measured on PGlite: about
 * a fifth of the CPU of a multi-row VALUES insert). Keys are the table's property names.
 */
async function insertRows<R = never>(tx: Db | Tx, table: PgTable, rows: Record<string, unknown>[], returning?: SQL): Promise<R[]> {
	if (rows.length === 0) return [];
	const columns = getTableColumns(table);
	const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const unknown = keys.find((k) => !Object.hasOwn(columns, k));
	if (unknown) throw new Error(`${unknown} is not a column of the table`);
	const names = keys.map((k) => sql.identifier(columns[k].name));
	const json = JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k) => [columns[k].name, r[k] ?? null]))));
	const shape = sql.join(keys.map((k) => sql.raw(`"${columns[k].name}" ${columns[k].getSQLType()}`)), sql`, `);
	const result = await tx.execute(
		sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(names, sql`, `)} from jsonb_to_recordset(${json}::jsonb) as x(${shape}) ${returning ?? sql``}`
	);
	// postgres.js returns the rows as an array, PGlite as `{ rows }`.
	return (Array.isArray(result) ? result : (result as unknown as { rows: R[] }).rows) as R[];
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
