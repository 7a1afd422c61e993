import { and, ilike, like, or, sql, type AnyColumn, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db';
import { cases } from '../../db/schema';
import { caseOrder } from './order';
import { containsPattern, FOLD_FROM, FOLD_TO, searchFold, type CaseListSort } from './rules';

/**
 * Chinese text search on the case list: a substring of the title, the description or a party's name.
 * A plain LIKE reads every case (0.1–0.3 s at 200k), and neither pg_bigm (absent from PGlite) nor
 * pg_trgm (which skips CJK characters under the C locale) can help. So the database indexes every
 * two-character sequence (bigram) of the three texts (`case_search_grams`, migration 0013), a query
 * first takes the cases holding all of its bigrams from that index, and the substring itself is then
 * checked on those rows only, so the answer is exactly LIKE's.
 */

/** The same characters as the SQL function: width and ASCII case folded, no bigram across a space or line break. */
const BREAK = /[ \t\n\r]/;

/** The bigrams of a text, as `case_search_grams` makes them (a test holds the two to the same answers). */
export function searchGrams(text: string): string[] {
	const chars = Array.from(searchFold(text));
	const grams = new Set<string>();
	for (let i = 0; i + 1 < chars.length; i++) {
		const gram = chars[i] + chars[i + 1];
		if (!BREAK.test(gram)) grams.add(gram);
	}
	return [...grams];
}

/** Letters that have case and are not ASCII: ILIKE may fold them in ways the index does not. */
const NON_ASCII_CASED = /[^\x00-\x7f]/u;
const hasNonAsciiCased = (text: string) => Array.from(text).some((c) => NON_ASCII_CASED.test(c) && c.toLowerCase() !== c.toUpperCase());

/**
 * The bigrams to look up for a query, or null when the index cannot narrow it: a single character, or
 * only bigrams across spaces, or non-ASCII letters with case. Those fall back to reading every case.
 */
export function queryGrams(text: string): string[] | null {
	if (hasNonAsciiCased(searchFold(text))) return null;
	const grams = searchGrams(text);
	return grams.length > 0 ? grams : null;
}

/** The `party_names` column: each party's name on a line of its own, in the order they were entered. */
export function partyNamesText(parties: readonly { name: string }[]): string {
	return parties.map((p) => p.name).join('\n');
}

/** The indexed expression, written exactly as in the index (or the planner cannot use it). */
const searchDocument = sql`case_search_grams(${cases.title} || ' ' || ${cases.description} || ' ' || ${cases.partyNames})`;

type TextColumns = { title: AnyColumn | SQLWrapper; description: AnyColumn | SQLWrapper; partyNames: AnyColumn | SQLWrapper };

/**
 * Title, description or a party's name contains `text`, both folded alike (`searchFold`). The fold
 * maps characters onto ASCII only, so a query without ASCII (plain Chinese, 𠮷) matches the stored
 * text as it is and the columns are read unfolded; otherwise they are folded with the same
 * `translate` as the index. LIKE matches byte by byte; ILIKE only for letters with case beyond ASCII
 * (ASCII case is in the fold). Party names are one per line in `party_names` and a query holds no line
 * break, so a match never runs across two names.
 */
function substring(text: string, c: TextColumns): SQL {
	const folded = searchFold(text);
	const pattern = containsPattern(folded);
	const match = hasNonAsciiCased(folded) ? ilike : like;
	const column = (col: AnyColumn | SQLWrapper) => (/[\x20-\x7e]/.test(folded) ? sql`translate(${col}, ${FOLD_FROM}, ${FOLD_TO})` : col);
	return or(
		match(column(c.title) as AnyColumn, pattern),
		match(column(c.description) as AnyColumn, pattern),
		match(column(c.partyNames) as AnyColumn, pattern)
	)!;
}

/** The index lookup for the query's bigrams, or null when the index cannot narrow this query. */
function indexed(text: string): SQL | null {
	const grams = queryGrams(text);
	if (!grams) return null;
	// One parameter per bigram: both drivers pass a plain list of strings the same way.
	return sql`${searchDocument} @> array[${sql.join(grams.map((g) => sql`${g}`), sql`, `)}]::text[]`;
}

/** Cases whose title, description or a party's name contains `text`, through the index when it can. */
export function textSearchCondition(text: string): SQL {
	const lookup = indexed(text);
	return lookup ? and(lookup, substring(text, cases))! : substring(text, cases);
}

/** How many matters, in list order, a common word is looked for in before the index is asked instead. */
export const SEARCH_WALK = 3000;

export interface SearchPage {
	/** The whole search's condition (for the count, and for the page when `ids` is null). */
	where: SQL;
	/** The ids of the page (and one more when there is a next page) when already found, in list order. */
	ids: number[] | null;
}

/**
 * Finds a page of a text search. The index is fast for a rare word but slow for a common one: it
 * hands back every case holding the word's bigrams (tens of thousands for 宅基地), all of which must be
 * read to sort them, and the planner cannot tell the two apart (it multiplies the bigrams'
 * frequencies as if they were unrelated). So the list first reads the newest (or next due …)
 * `SEARCH_WALK` matters of the viewer's scope in list order and keeps those containing the word: a
 * common word fills the page from them. Only when it does not (a rare word, or a page deep into the
 * results) is the index asked, and then it returns few rows.
 */
export async function searchPage(db: Db, scope: SQL | undefined, text: string, sort: CaseListSort, offset: number, pageSize: number): Promise<SearchPage> {
	const lookup = indexed(text);
	if (!lookup) return { where: and(scope, substring(text, cases))!, ids: null };
	const wanted = offset + pageSize + 1;
	const walk = db
		.select({ id: cases.id, registeredAt: cases.registeredAt, nextDueOn: cases.nextDueOn, lastActivityAt: cases.lastActivityAt, title: cases.title, description: cases.description, partyNames: cases.partyNames })
		.from(cases)
		.where(scope)
		.orderBy(...caseOrder(sort, cases))
		.limit(SEARCH_WALK)
		.as('walk');
	const found = await db
		.select({ id: walk.id })
		.from(walk)
		.where(substring(text, walk))
		.orderBy(...caseOrder(sort, walk))
		.limit(wanted);
	// The count (up to the list's cap) goes through the index either way: within a township's scope the
	// index and the scope's own index are combined, where reading the scope for a common word is slow.
	const where = and(scope, lookup, substring(text, cases))!;
	return { where, ids: found.length === wanted ? found.slice(offset).map((r) => r.id) : null };
}
