import { and, asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { formatChainHead, readChainHead } from '../audit/chain-head';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { departments, places } from '../db/schema';
import { AppError } from '../errors';
import { countyIdOf } from '../roster/rules';
import { listPractices } from './practices';
import { ASK_TO_IMPROVE, lastYearPeriod, mayReadCircular, percentChange, previousPeriod, rankUnits, type AssessmentPeriod, type Measure, type ScoredUnit } from './rules';
import { countsByUnit, figuresOf, overdueOrders } from './unit-figures';
import { weightsInForce, type WeightSet } from './weights';

export interface RankedUnit extends ScoredUnit {
	received: number;
	/** Rank last period, null when the unit was not ranked then. */
	previousRank: number | null;
}

export interface Escalations {
	beijing: number;
	province: number;
	beijingLastYear: number;
	provinceLastYear: number;
	beijingChange: number | null;
	provinceChange: number | null;
}

export interface Circular {
	period: AssessmentPeriod;
	previous: AssessmentPeriod;
	countyName: string;
	weights: WeightSet;
	townships: RankedUnit[];
	departments: RankedUnit[];
	/** The county as a whole: matters received and escalations, with the change on last year. */
	county: { received: number; receivedLastYear: number; receivedChange: number | null } & Escalations;
	practices: { id: number; unit: string; text: string }[];
	/** The bottom units of each ranking (below its middle), asked to improve. */
	improve: { unit: string; kind: 'township' | 'department'; rank: number; weakest: Measure[] }[];
	chainHead: string;
}

type Unit = { id: number; name: string };

/** Computes one period's ranking of the given units from their counts. */
async function rank(db: Db, countyId: number, period: AssessmentPeriod, today: string, towns: Unit[], depts: Unit[], weights: WeightSet['weights']) {
	const [now, lastYear, orders] = await Promise.all([
		countsByUnit(db, countyId, period),
		countsByUnit(db, countyId, lastYearPeriod(period)),
		overdueOrders(db, countyId, period, today)
	]);
	const build = (units: Unit[], key: 'townships' | 'departments') =>
		units.map((u) => {
			const f = figuresOf(now[key].get(u.id), lastYear[key].get(u.id), orders[key].get(u.id) ?? 0);
			return { id: u.id, name: u.name, figures: f, received: f.received };
		});
	return { townships: build(towns, 'townships'), departments: build(depts, 'departments'), now, lastYear };
}

function withPrevious(current: ScoredUnit[], received: Map<number, number>, before: ScoredUnit[]): RankedUnit[] {
	return current.map((u) => ({ ...u, received: received.get(u.id) ?? 0, previousRank: before.find((b) => b.id === u.id)?.rank ?? null }));
}

/** The measures a unit scored lowest on (at most two), to say what to improve. */
function weakest(u: ScoredUnit): Measure[] {
	return (Object.entries(u.scores) as [Measure, number][])
		.sort((a, b) => a[1] - b[1])
		.filter(([, s]) => s < 50)
		.slice(0, 2)
		.map(([m]) => m);
}

export interface LoadCircularOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The circular of a period for the viewer's county: townships and departments ranked on the measures
 * with the weights in force (their version printed), the change in rank since the previous period,
 * 进京 and 赴省 with their change on last year, the good practice named and the units asked to improve.
 * Read from the maintained counts only (and the supervision orders), so a year costs the same on 200k
 * matters as on twenty.
 */
export async function loadCircular(db: Db, actor: Viewer, period: AssessmentPeriod, options: LoadCircularOptions = {}): Promise<Circular> {
	const { now = new Date() } = options;
	if (!mayReadCircular(actor)) throw new AppError('forbidden');
	const countyId = countyIdOf(actor);
	const today = shanghaiDate(now);
	const [[county], towns, depts, weights, practices, head] = await Promise.all([
		db.select({ name: places.name }).from(places).where(eq(places.id, countyId)),
		db.select({ id: places.id, name: places.name }).from(places).where(and(eq(places.parentId, countyId), eq(places.kind, 'township'))).orderBy(asc(places.path)),
		db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.countyId, countyId)).orderBy(asc(departments.id)),
		weightsInForce(db, countyId),
		listPractices(db, countyId, period.key),
		readChainHead(db)
	]);
	const previous = previousPeriod(period);
	const [cur, prev] = await Promise.all([rank(db, countyId, period, today, towns, depts, weights.weights), rank(db, countyId, previous, today, towns, depts, weights.weights)]);
	const received = (list: { id: number; received: number }[]) => new Map(list.map((u) => [u.id, u.received]));
	const townships = withPrevious(rankUnits(cur.townships, weights.weights), received(cur.townships), rankUnits(prev.townships, weights.weights));
	const departmentRanks = withPrevious(rankUnits(cur.departments, weights.weights), received(cur.departments), rankUnits(prev.departments, weights.weights));

	// The county as a whole, matters raised at the county itself (township 0) included.
	const sum = (counts: typeof cur.now.townships, dim: string, key: string) => [...counts.values()].reduce((s, c) => s + (c.get(dim)?.get(key) ?? 0), 0);
	const total = { received: sum(cur.now.townships, 'total', ''), receivedLastYear: sum(cur.lastYear.townships, 'total', '') };
	const esc = {
		beijing: sum(cur.now.townships, 'escalated_to', 'beijing'),
		province: sum(cur.now.townships, 'escalated_to', 'province'),
		beijingLastYear: sum(cur.lastYear.townships, 'escalated_to', 'beijing'),
		provinceLastYear: sum(cur.lastYear.townships, 'escalated_to', 'province')
	};
	const bottom = (list: RankedUnit[], kind: 'township' | 'department') =>
		list
			.filter((u) => u.rank > Math.ceil(list.length / 2) && u.received > 0)
			.slice(-ASK_TO_IMPROVE)
			.map((u) => ({ unit: u.name, kind, rank: u.rank, weakest: weakest(u) }));
	return {
		period,
		previous,
		countyName: county.name,
		weights,
		townships,
		departments: departmentRanks,
		county: {
			...total,
			receivedChange: percentChange(total.received, total.receivedLastYear),
			...esc,
			beijingChange: percentChange(esc.beijing, esc.beijingLastYear),
			provinceChange: percentChange(esc.province, esc.provinceLastYear)
		},
		practices,
		improve: [...bottom(townships, 'township'), ...bottom(departmentRanks, 'department')],
		chainHead: formatChainHead(head)
	};
}
