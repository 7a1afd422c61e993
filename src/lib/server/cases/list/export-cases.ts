import { and, desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { caseCategories, cases, places } from '../../db/schema';
import { AppError } from '../../errors';
import { dueState } from '../clocks';
import { caseVisibility } from '../scope';
import { shanghaiDate } from '../shanghai-date';
import { filterConditions, listRowColumns } from './list-cases';
import { DUE_SOON_DAYS, filtersToParams, mayExportCases, type CaseListFilters } from './rules';

/** An export holds at most this many matters; a larger one needs a narrower filter. */
export const EXPORT_MAX_ROWS = 20_000;

export interface ExportRow {
	number: string;
	title: string;
	category: { zh: string; en: string };
	channel: string;
	status: string;
	placeName: string;
	registeredOn: string;
	nextDueOn: string | null;
	dueState: string | null;
	isRepeat: boolean;
	applicant: string | null;
}

export interface ExportCasesOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Every matter of a filtered case list, newest first, with the same masking as the list (no phones or
 * ID numbers, applicants to their first character). Refused as too large past `EXPORT_MAX_ROWS`.
 * The export itself is audited: who took which list out of the system.
 */
export async function exportCases(db: Db, viewer: Viewer, filters: CaseListFilters, options: ExportCasesOptions = {}): Promise<ExportRow[]> {
	const { ip, now = new Date() } = options;
	if (!mayExportCases(viewer)) throw new AppError('forbidden');
	const today = shanghaiDate(now);
	const where = and(caseVisibility(viewer), ...(await filterConditions(db, viewer, filters, today)));
	const rows = await db
		.select(listRowColumns)
		.from(cases)
		.innerJoin(caseCategories, eq(caseCategories.id, cases.categoryId))
		.innerJoin(places, eq(places.id, cases.placeId))
		.where(where)
		.orderBy(desc(cases.registeredAt), desc(cases.id))
		.limit(EXPORT_MAX_ROWS + 1);
	if (rows.length > EXPORT_MAX_ROWS) throw new AppError('invalid', { _: 'stats_err_export_too_large' });
	await db.transaction((tx) =>
		recordAudit(tx, {
			action: 'stats.export',
			actorId: viewer.id,
			ip,
			data: { kind: 'case_list', rows: rows.length, query: filtersToParams(filters, 1).toString().slice(0, 500) }
		})
	);
	return rows.map((r) => ({
		number: r.number,
		title: r.title,
		category: { zh: r.categoryZh, en: r.categoryEn },
		channel: r.channel,
		status: r.status,
		placeName: r.placeName,
		registeredOn: shanghaiDate(r.registeredAt),
		nextDueOn: r.nextDueOn,
		dueState: r.nextDueOn ? dueState(r.nextDueOn, today, DUE_SOON_DAYS) : null,
		isRepeat: r.isRepeat,
		applicant: r.applicant
	}));
}
