import { and, asc, between, count, desc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { caseCategories, caseParties, cases, places } from '../../db/schema';
import { AppError } from '../../errors';
import { dueState, type DueState } from '../clocks';
import type { Channel } from '../intake/rules';
import { caseVisibility, originColumn } from '../scope';
import { addDays, shanghaiDate } from '../shanghai-date';
import { caseOrder } from './order';
import { searchPage, textSearchCondition } from './text-search';
import type { CaseStatus } from '../states';
import { COUNT_CAP, DUE_SOON_DAYS, isCaseNumber, mayListCases, PAGE_SIZE, type CaseListFilters } from './rules';

/** One matter as the case list shows it: no personal data beyond a masked applicant name. */
export interface CaseListRow {
	id: number;
	number: string;
	title: string;
	category: { zh: string; en: string };
	channel: Channel;
	status: CaseStatus;
	/** The place handling it now (village, township or county). */
	placeName: string;
	registeredAt: Date;
	nextDueOn: string | null;
	dueState: DueState | null;
	isRepeat: boolean;
	/** The first applicant, masked to the first character (e.g. 孙**); organisations by name. */
	applicant: string | null;
}

/** Matching matters, counted up to `COUNT_CAP`; `capped` means "at least this many". */
export interface CaseListTotal {
	count: number;
	capped: boolean;
}

export interface CaseListPage {
	rows: CaseListRow[];
	page: number;
	pageSize: number;
	hasNext: boolean;
	total: CaseListTotal;
}

/** A page whose total may still be being counted (`listCasesDeferred`). */
export type CaseListPageDeferred = Omit<CaseListPage, 'total'> & { total: CaseListTotal | Promise<CaseListTotal> };

/** Shanghai midnight of a calendar date, as an instant (UTC+8, no daylight saving since 1991). */
const shanghaiMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** The first applicant, masked to the first character (e.g. 孙**); organisations by name. */
const maskedApplicant = sql<string | null>`(
	select case when ${caseParties.kind} = 'organisation' then ${caseParties.name} else left(${caseParties.name}, 1) || '**' end
	from ${caseParties}
	where ${caseParties.caseId} = ${cases.id} and ${caseParties.side} = 'applicant'
	order by ${caseParties.sortOrder}, ${caseParties.id}
	limit 1)`;

/** What a list row shows, with `caseCategories` and `places` (the handling place) joined; the CSV export too. */
export const listRowColumns = {
	number: cases.number,
	title: cases.title,
	categoryZh: caseCategories.nameZh,
	categoryEn: caseCategories.nameEn,
	channel: cases.channel,
	status: cases.status,
	placeName: places.name,
	registeredAt: cases.registeredAt,
	nextDueOn: cases.nextDueOn,
	isRepeat: cases.isRepeat,
	applicant: maskedApplicant
};

/**
 * One page of the matters the viewer may see, narrowed by the filters. Always AND-ed with
 * `caseVisibility`, so the filters can only narrow the viewer's scope, never widen it. `today` (a
 * Shanghai date) fixes what "overdue" and "due soon" mean, so tests can pin it.
 */
export async function listCases(db: Db, viewer: Viewer, filters: CaseListFilters, options: { today?: string } = {}): Promise<CaseListPage> {
	const page = await listCasesDeferred(db, viewer, filters, options);
	return { ...page, total: await page.total };
}

/**
 * The same page, but a count that takes its own statement comes as a promise, started as soon as the
 * rows are in: the /cases page streams it for a text search. A common word is found on the page's
 * rows in milliseconds, while counting its matches up to the cap combines the bigram index with the
 * viewer's scope over every matter holding the word (about 0.1 s at two million matters); the list need
 * not wait for that.
 */
export async function listCasesDeferred(db: Db, viewer: Viewer, filters: CaseListFilters, options: { today?: string } = {}): Promise<CaseListPageDeferred> {
	if (!mayListCases(viewer)) throw new AppError('forbidden');
	const today = options.today ?? shanghaiDate(new Date());
	// Every filter but the text, which is added below (a text search finds its page its own way).
	const scope = and(caseVisibility(viewer), ...(await filterConditions(db, viewer, { ...filters, text: null }, today)));
	const order = caseOrder(filters.sort, cases);
	const offset = (filters.page - 1) * PAGE_SIZE;
	// Text other than a case number: the search finds its page's ids itself when that is faster.
	const search = filters.text && !isCaseNumber(filters.text) ? await searchPage(db, scope, filters.text, filters.sort, offset, PAGE_SIZE) : null;
	const where = search?.where ?? (filters.text ? and(scope, eq(cases.number, filters.text)) : scope);

	// Deferred join: find the page's ids on the narrow index first, then fetch names and the masked
	// applicant for those 20 rows only (not for every row the offset skips).
	const ids = search?.ids
		? db.select({ id: cases.id }).from(cases).where(inArray(cases.id, search.ids.length ? search.ids : [0])).as('page_ids')
		: db.select({ id: cases.id }).from(cases).where(where).orderBy(...order).limit(PAGE_SIZE + 1).offset(offset).as('page_ids');

	const rows = await db
		.select({
			id: cases.id,
			...listRowColumns
		})
		.from(ids)
		.innerJoin(cases, eq(cases.id, ids.id))
		.innerJoin(caseCategories, eq(caseCategories.id, cases.categoryId))
		.innerJoin(places, eq(places.id, cases.placeId))
		.orderBy(...order);
	const hasNext = rows.length > PAGE_SIZE;
	// The last page tells the total by itself: a rare search word, which has to scan everything, then
	// scans once and not twice. Otherwise count, stopping at the cap.
	const known = !hasNext && (rows.length > 0 || filters.page === 1);
	const total = (n: number): CaseListTotal => (n > COUNT_CAP ? { count: COUNT_CAP, capped: true } : { count: n, capped: false });
	const counting = known ? null : cappedCount(db, where).then(total);
	// Marked as handled at once: a count that fails before its caller takes it up is no unhandled rejection
	// (which would end the process); whoever awaits it still gets the failure.
	counting?.catch(() => {});

	return {
		rows: rows.slice(0, PAGE_SIZE).map((r) => ({
			id: r.id,
			number: r.number,
			title: r.title,
			category: { zh: r.categoryZh, en: r.categoryEn },
			channel: r.channel,
			status: r.status,
			placeName: r.placeName,
			registeredAt: r.registeredAt,
			nextDueOn: r.nextDueOn,
			dueState: r.nextDueOn ? dueState(r.nextDueOn, today, DUE_SOON_DAYS) : null,
			isRepeat: r.isRepeat,
			applicant: r.applicant
		})),
		page: filters.page,
		pageSize: PAGE_SIZE,
		hasNext,
		total: counting ?? total(offset + rows.length)
	};
}

async function cappedCount(db: Db, where: SQL | undefined): Promise<number> {
	const capped = db.select({ one: sql`1`.as('one') }).from(cases).where(where).limit(COUNT_CAP + 1).as('capped');
	const [{ n }] = await db.select({ n: count() }).from(capped);
	return n;
}

export async function filterConditions(db: Db, viewer: Viewer, f: CaseListFilters, today: string): Promise<SQL[]> {
	const c: SQL[] = [];
	if (f.statuses.length) c.push(inArray(cases.status, f.statuses));
	if (f.placeId != null) c.push(await placeCondition(db, viewer, f.placeId));
	if (f.categoryId != null) c.push(eq(cases.categoryId, f.categoryId));
	if (f.channel) c.push(eq(cases.channel, f.channel));
	if (f.due) c.push(dueCondition(f.due, today));
	if (f.repeatOnly) c.push(eq(cases.isRepeat, true));
	if (f.text) c.push(isCaseNumber(f.text) ? eq(cases.number, f.text) : textSearchCondition(f.text));
	if (f.from) c.push(gte(cases.registeredAt, shanghaiMidnight(f.from)));
	if (f.to) c.push(lt(cases.registeredAt, shanghaiMidnight(addDays(f.to, 1))));
	return c;
}

/** The same boundaries as the clocks' `dueState`, on the stored next due date. */
function dueCondition(due: DueState, today: string): SQL {
	const soon = addDays(today, DUE_SOON_DAYS);
	if (due === 'overdue') return lt(cases.nextDueOn, today);
	if (due === 'due_soon') return between(cases.nextDueOn, today, soon);
	return gt(cases.nextDueOn, soon);
}

/**
 * Where the matter arose: a place at or below the viewer's own (a county of a city, a township, a
 * village). Anything else is refused as "not found" so the filter cannot be used to probe for places.
 */
async function placeCondition(db: Db, viewer: Viewer, placeId: number): Promise<SQL> {
	const [place] = await db.select({ kind: places.kind, path: places.path }).from(places).where(eq(places.id, placeId)).limit(1);
	if (!place || !place.path.startsWith(viewer.place.path)) throw new AppError('invalid', { place: 'err_place_not_found' });
	return eq(originColumn(place.kind), placeId);
}
