import type { Viewer } from '../../../types';
import type { DueState } from '../clocks';
import { CHANNELS, type Channel } from '../intake/rules';
import { normalizeText } from '../../../utils/invisible-chars';
import { isIsoDate } from '../shanghai-date';
import { CASE_STATUSES, type CaseStatus } from '../states';

/**
 * Pure rules of the case list (issue 3, point 6): who may open it and what a query string may ask
 * for. Nothing here touches the database.
 */

export const PAGE_SIZE = 20;
/**
 * Totals are counted up to this many rows and then shown as "more than 1,000": an exact count of a
 * county's 200k matters costs a scan of all of them on every page view, and even a count capped at
 * 10,000 took 30–70 ms on PostgreSQL with 200k matters (bench:cases); 1,000 rows is fifty pages, past
 * where anyone pages instead of filtering.
 */
export const COUNT_CAP = 1_000;
/** Offset paging ends where the capped count ends; a longer list needs a filter, not page 501. */
export const MAX_PAGE = COUNT_CAP / PAGE_SIZE;
/** A due date within this many days (today included) is "due soon": the clocks' default window. */
export const DUE_SOON_DAYS = 3;
export const TEXT_MAX = 50;

export const DUE_STATES = ['overdue', 'due_soon', 'ok'] as const satisfies readonly DueState[];
export const SORTS = ['registered_desc', 'registered_asc', 'due_asc', 'activity_desc'] as const;
export type CaseListSort = (typeof SORTS)[number];

/** What the list is narrowed to. Every field is optional in the URL; absent means "any". */
export interface CaseListFilters {
	statuses: CaseStatus[];
	/** A township or village inside the viewer's place; checked by `listCases`. */
	placeId: number | null;
	categoryId: number | null;
	channel: Channel | null;
	due: DueState | null;
	repeatOnly: boolean;
	/** A case number (exact) or words of the title, description or a party's name. */
	text: string | null;
	/** Registration dates, Shanghai calendar, both inclusive. */
	from: string | null;
	to: string | null;
	sort: CaseListSort;
	page: number;
}

export const DEFAULT_FILTERS: CaseListFilters = {
	statuses: [],
	placeId: null,
	categoryId: null,
	channel: null,
	due: null,
	repeatOnly: false,
	text: null,
	from: null,
	to: null,
	sort: 'registered_desc',
	page: 1
};

/**
 * Roles that work on matters. Admins run the system, so they have no case list; a member of a county
 * department has one whatever their role.
 */
const CASEWORK_ROLES = ['supervisor', 'mediator', 'legal_advisor', 'legal_villager', 'agent', 'grid_worker', 'party'] as const;

export function mayListCases(viewer: Viewer): boolean {
	return viewer.department !== null || viewer.roles.some((r) => (CASEWORK_ROLES as readonly string[]).includes(r.role)) || isPanelistOnly(viewer);
}

/**
 * A panelist's list holds only the matters whose panel they sit on (`caseVisibility` gives them nothing
 * else), so it is "my cases": without it an invited panelist could reach his case only by a link.
 */
export function isPanelistOnly(viewer: Viewer): boolean {
	return viewer.department === null && viewer.roles.length > 0 && viewer.roles.every((r) => r.role === 'panelist');
}

/**
 * Taking the list out of the system (CSV) is for the staff who run the casework — supervisors,
 * mediators, legal advisers and county departments. Parties, their agents, grid workers and village
 * legal helpers see the matters they are part of on screen, but a file of them is not theirs to keep.
 */
const EXPORT_ROLES = ['supervisor', 'mediator', 'legal_advisor'] as const;

export function mayExportCases(viewer: Viewer): boolean {
	return viewer.department !== null || viewer.roles.some((r) => (EXPORT_ROLES as readonly string[]).includes(r.role));
}

/** Case numbers look like 2026-000123; such a query is looked up exactly, not as words. */
export function isCaseNumber(text: string): boolean {
	return /^\d{4}-\d{6}$/.test(text);
}

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | null =>
	raw != null && (values as readonly string[]).includes(raw) ? (raw as T) : null;

const positiveId = (raw: string | null): number | null => (raw != null && /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : null);

/**
 * Reads the filters from a query string. A GET form can be edited by hand, so unknown values are
 * dropped rather than refused; only dates the person typed get a message (they can fix those).
 */
export function parseListFilters(params: URLSearchParams): { filters: CaseListFilters; fields: Record<string, string> } {
	const fields: Record<string, string> = {};
	const date = (name: 'from' | 'to'): string | null => {
		const raw = params.get(name)?.trim();
		if (!raw) return null;
		if (isIsoDate(raw)) return raw;
		fields[name] = 'err_date_invalid';
		return null;
	};
	// The query is normalised as stored text is (NFC, invisible characters out), not NFKC: NFKC turned
	// "：" into ":" and so missed every title written with the full-width colon. Width is folded by the
	// search itself, on both sides alike (`searchFold`); a case number in full-width digits still works.
	const typed = normalizeText(params.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, TEXT_MAX) || null;
	const text = typed && isCaseNumber(searchFold(typed)) ? searchFold(typed) : typed;
	const from = date('from');
	const to = date('to');
	if (from && to && from > to) fields.to = 'caselist_err_date_order';
	const page = positiveId(params.get('page')) ?? 1;
	return {
		filters: {
			statuses: [...new Set(params.getAll('status'))].filter((s): s is CaseStatus => (CASE_STATUSES as readonly string[]).includes(s)),
			placeId: positiveId(params.get('place')),
			categoryId: positiveId(params.get('category')),
			channel: oneOf(CHANNELS, params.get('channel')),
			due: oneOf(DUE_STATES, params.get('due')),
			repeatOnly: params.get('repeat') === '1',
			text,
			from,
			to: fields.to ? null : to,
			sort: oneOf(SORTS, params.get('sort')) ?? 'registered_desc',
			page: Math.min(page, MAX_PAGE)
		},
		fields
	};
}

/** The query string of a filter set (defaults left out), for pagination links and bookmarks. */
export function filtersToParams(filters: CaseListFilters, page = filters.page): URLSearchParams {
	const p = new URLSearchParams();
	if (filters.text) p.set('q', filters.text);
	for (const s of filters.statuses) p.append('status', s);
	if (filters.due) p.set('due', filters.due);
	if (filters.placeId) p.set('place', String(filters.placeId));
	if (filters.categoryId) p.set('category', String(filters.categoryId));
	if (filters.channel) p.set('channel', filters.channel);
	if (filters.repeatOnly) p.set('repeat', '1');
	if (filters.from) p.set('from', filters.from);
	if (filters.to) p.set('to', filters.to);
	if (filters.sort !== 'registered_desc') p.set('sort', filters.sort);
	if (page > 1) p.set('page', String(page));
	return p;
}

/**
 * The characters the case search treats as one: full-width forms of ASCII (Ａ, ３, ：, （) as their
 * ASCII letters, the ideographic space as a space, and ASCII capitals as small letters. One character
 * for one, so positions and lengths do not move. The database folds stored text with the same two
 * strings (`translate`, in `case_search_grams` of migration 0025 and in the substring check), so a
 * query typed either way finds a title written either way.
 */
export const FOLD_FROM =
	Array.from({ length: 0xff5e - 0xff01 + 1 }, (_, i) => String.fromCharCode(0xff01 + i)).join('') + '\u3000ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const FOLD_TO =
	Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
		.join('')
		.replace(/[A-Z]/g, (c) => c.toLowerCase()) + ' abcdefghijklmnopqrstuvwxyz';
const FOLD = new Map(Array.from(FOLD_FROM, (c, i) => [c, FOLD_TO[i]]));

/** A text as the search compares it (see FOLD_FROM). */
export function searchFold(text: string): string {
	return text.replace(/[\uff01-\uff5e\u3000A-Z]/g, (c) => FOLD.get(c) ?? c);
}

/** `%text%` for ILIKE with the pattern characters taken literally (backslash is PostgreSQL's default escape). */
export function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
