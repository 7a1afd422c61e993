import { and, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { caseParties, cases, retentionPolicies } from '../db/schema';
import { AppError } from '../errors';

/**
 * Kinds of personal data with a retention period. `closed_case_parties`: the phone, ID number and
 * address of the parties of matters closed (concluded, archived or not accepted) more than N years
 * ago are masked for good, exactly as the pages mask them. Names stay: the committee keeps the file
 * (人民调解法 art. 27), and the audit log is never touched, so its chain stays verifiable.
 */
export const RETENTION_TYPES = ['closed_case_parties'] as const;
export type RetentionType = (typeof RETENTION_TYPES)[number];

const CLOSED = ['concluded', 'archived', 'not_accepted'] as const;

export interface RetentionItem {
	recordType: RetentionType;
	years: number;
	/** Matters closed before this moment are due. */
	cutoff: Date;
	cases: number;
	parties: number;
}

export async function setRetentionPolicy(db: Db, recordType: string, years: number, actorId: number | null): Promise<void> {
	if (!(RETENTION_TYPES as readonly string[]).includes(recordType)) throw new AppError('invalid', { recordType: 'err_invalid' });
	if (!Number.isInteger(years) || years < 1 || years > 100) throw new AppError('invalid', { years: 'err_invalid' });
	await db.transaction(async (tx) => {
		await tx
			.insert(retentionPolicies)
			.values({ recordType, years, updatedById: actorId })
			.onConflictDoUpdate({ target: retentionPolicies.recordType, set: { years, updatedAt: new Date(), updatedById: actorId } });
		await recordAudit(tx, { action: 'retention.policy_set', actorId, subjectType: 'retention', subjectId: recordType, data: { recordType, years } });
	});
}

const closedAt = sql`coalesce(${cases.archivedAt}, ${cases.concludedAt}, ${cases.registeredAt})`;

/** Whose matters a run covers: all (the command line), or an administrator's area (the admin page). */
export interface RetentionScope {
	/** A condition on `cases`; none for the whole database. */
	area?: SQL;
	/** The area's place, recorded in the audit row of a run limited to it. */
	placeId?: number;
	actorId?: number | null;
	ip?: string;
}

function dueParties(cutoff: Date, area?: SQL) {
	const inArea = area ? sql` and ${area}` : sql``;
	const dueCases = sql`select ${cases.id} from ${cases} where ${inArray(cases.status, [...CLOSED])} and ${closedAt} < ${cutoff.toISOString()}${inArea}`;
	return and(sql`${caseParties.caseId} in (${dueCases})`, isNull(caseParties.personalDataMaskedAt));
}

export interface PlanRetentionOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** A condition on `cases`; none for the whole database. */
	area?: SQL;
}

/** What a run would mask now, per policy set (the dry run's report), in `area` when given. */
export async function planRetention(db: Db, options: PlanRetentionOptions = {}): Promise<RetentionItem[]> {
	const { now = new Date(), area } = options;
	const items: RetentionItem[] = [];
	for (const policy of await db.select().from(retentionPolicies)) {
		if (policy.recordType !== 'closed_case_parties') continue;
		const cutoff = yearsBefore(now, policy.years);
		const [row] = await db
			.select({ parties: sql<number>`count(*)::int`, cases: sql<number>`count(distinct ${caseParties.caseId})::int` })
			.from(caseParties)
			.where(dueParties(cutoff, area));
		items.push({ recordType: policy.recordType, years: policy.years, cutoff, cases: row.cases, parties: row.parties });
	}
	return items;
}

export interface ApplyRetentionOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Where the run applies and who asks, for its audit row. */
	scope?: RetentionScope;
}

/**
 * Masks what is due, one transaction per policy with its audit row (counts only: the masked values
 * are exactly what must not be copied elsewhere). Running it again masks nothing twice.
 */
export async function applyRetention(db: Db, options: ApplyRetentionOptions = {}): Promise<RetentionItem[]> {
	const { now = new Date(), scope = {} } = options;
	const done: RetentionItem[] = [];
	for (const planned of await planRetention(db, { now, area: scope.area })) {
		const item = await db.transaction(async (tx) => {
			const masked = await tx
				.update(caseParties)
				.set({
					phone: sql`case when ${caseParties.phone} is null then null else repeat('*', greatest(char_length(${caseParties.phone}) - 4, 0)) || right(${caseParties.phone}, 4) end`,
					idNumber: sql`case when ${caseParties.idNumber} is null then null when char_length(${caseParties.idNumber}) <= 8 then repeat('*', char_length(${caseParties.idNumber})) else left(${caseParties.idNumber}, 4) || repeat('*', greatest(char_length(${caseParties.idNumber}) - 8, 0)) || right(${caseParties.idNumber}, 4) end`,
					address: sql`case when ${caseParties.address} is null then null else left(${caseParties.address}, least(6, greatest(char_length(${caseParties.address}) - 4, 0))) || '****' end`,
					// The same masks as utils/phone.ts, utils/id-number.ts and privacy/rules.ts, in SQL for whole sets.
					personalDataMaskedAt: now
				})
				.where(dueParties(planned.cutoff, scope.area))
				.returning({ caseId: caseParties.caseId });
			const result = { ...planned, parties: masked.length, cases: new Set(masked.map((m) => m.caseId)).size };
			await recordAudit(tx, {
				action: 'retention.run',
				actorId: scope.actorId ?? null,
				ip: scope.ip,
				subjectType: 'retention',
				subjectId: planned.recordType,
				data: {
					recordType: planned.recordType,
					years: planned.years,
					cutoff: planned.cutoff.toISOString(),
					cases: result.cases,
					parties: result.parties,
					...(scope.placeId === undefined ? {} : { placeId: scope.placeId })
				}
			});
			return result;
		});
		done.push(item);
	}
	return done;
}

function yearsBefore(now: Date, years: number): Date {
	const cutoff = new Date(now);
	cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
	return cutoff;
}
