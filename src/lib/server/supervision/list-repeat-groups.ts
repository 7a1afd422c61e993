import { and, asc, count, desc, eq, exists, inArray, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases } from '../db/schema';
import { assertSupervisor, caseRowColumns, categoryJoin, placeJoin, toSupervisedCase, type SupervisedCase } from './case-row';
import { PAGE_SIZE } from './rules';

/** A matter raised again and again: the first one the viewer may see, and every later one linked to it. */
export interface RepeatGroup {
	original: SupervisedCase;
	/** Repeats in the viewer's scope, oldest first, at any depth (a repeat of a repeat belongs here too). */
	repeats: SupervisedCase[];
}

export interface RepeatGroupPage {
	groups: RepeatGroup[];
	total: number;
	page: number;
	pageSize: number;
}

const child = alias(cases, 'repeat_child');
/** A chain of repeats deeper than this is cut off rather than followed for ever. */
const MAX_DEPTH = 20;

/**
 * The head of each group, among the cases the viewer may see: a case that has repeats or is itself
 * marked as a repeat, and whose own original is unknown (a resident's online filing is marked but
 * cannot link) or outside the viewer's scope. So every visible repeat falls under exactly one head,
 * and no case outside the scope is shown or named.
 */
function groupHeads(actor: Viewer): SQL {
	const visibleIds = sql`(select ${cases.id} from ${cases} where ${caseVisibility(actor)})`;
	return and(
		caseVisibility(actor),
		or(eq(cases.isRepeat, true), exists(sql`(select 1 from ${cases} ${child} where ${child.repeatOfId} = ${cases.id})`)),
		or(isNull(cases.repeatOfId), notInArray(cases.repeatOfId, visibleIds))
	)!;
}

export async function countRepeatGroups(db: Db, actor: Viewer): Promise<number> {
	assertSupervisor(actor);
	const [{ n }] = await db.select({ n: count() }).from(cases).where(groupHeads(actor));
	return n;
}

export interface ListRepeatGroupsOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** One page of repeat groups, the group with the most recent repeat first ("一件事" → "一类事"). */
export async function listRepeatGroups(db: Db, actor: Viewer, query: { page: number }, options: ListRepeatGroupsOptions = {}): Promise<RepeatGroupPage> {
	const { now = new Date() } = options;
	assertSupervisor(actor);
	const latest = sql`coalesce((select max(${child.registeredAt}) from ${cases} ${child} where ${child.repeatOfId} = ${cases.id}), ${cases.registeredAt})`;
	const [heads, total] = await Promise.all([
		db
			.select(caseRowColumns)
			.from(cases)
			.innerJoin(...placeJoin)
			.innerJoin(...categoryJoin)
			.where(groupHeads(actor))
			.orderBy(desc(latest), desc(cases.id))
			.limit(PAGE_SIZE)
			.offset((query.page - 1) * PAGE_SIZE),
		countRepeatGroups(db, actor)
	]);
	const today = shanghaiDate(now);
	const repeats = new Map<number, SupervisedCase[]>(heads.map((h) => [h.id, []]));
	// Walk down the links one level per query; chains are short, so this stays a few queries a page.
	let frontier = new Map(heads.map((h) => [h.id, h.id]));
	for (let depth = 0; frontier.size > 0 && depth < MAX_DEPTH; depth++) {
		const rows = await db
			.select({ ...caseRowColumns, repeatOfId: cases.repeatOfId })
			.from(cases)
			.innerJoin(...placeJoin)
			.innerJoin(...categoryJoin)
			.where(and(caseVisibility(actor), inArray(cases.repeatOfId, [...frontier.keys()])))
			.orderBy(asc(cases.registeredAt), asc(cases.id));
		const next = new Map<number, number>();
		for (const r of rows) {
			const head = frontier.get(r.repeatOfId!)!;
			repeats.get(head)!.push(toSupervisedCase(r, today, now));
			next.set(r.id, head);
		}
		frontier = next;
	}
	for (const list of repeats.values()) list.sort((a, b) => a.number.localeCompare(b.number));
	return {
		groups: heads.map((h) => ({ original: toSupervisedCase(h, today, now), repeats: repeats.get(h.id)! })),
		total,
		page: query.page,
		pageSize: PAGE_SIZE
	};
}
