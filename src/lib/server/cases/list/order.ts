import { asc, desc, sql, type AnyColumn, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { CaseListSort } from './rules';

/** The columns a sort order reads: the table's, or those of a subquery selecting them. */
export interface SortColumns {
	id: AnyColumn | SQLWrapper;
	registeredAt: AnyColumn | SQLWrapper;
	nextDueOn: AnyColumn | SQLWrapper;
	lastActivityAt: AnyColumn | SQLWrapper;
}

/** The case list's sort orders; the id breaks ties so pages are stable. */
export function caseOrder(sort: CaseListSort, c: SortColumns): SQL[] {
	switch (sort) {
		case 'registered_desc':
			return [desc(c.registeredAt), desc(c.id)];
		case 'registered_asc':
			return [asc(c.registeredAt), asc(c.id)];
		case 'due_asc':
			return [sql`${c.nextDueOn} asc nulls last`, asc(c.id)];
		case 'activity_desc':
			return [desc(c.lastActivityAt), desc(c.id)];
	}
}
