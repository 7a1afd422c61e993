import { and, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db, Tx } from '../../db';
import { caseEvents, cases } from '../../db/schema';
import { AppError } from '../../errors';
import { pathIds } from '../../places/place-trail';
import { parseInput } from '../../validation';
import { decide } from '../rules';
import { caseActorOf, type CaseChanges, type CaseCommand, type CaseSnapshot, type CaseStatus, type DecisionFailure, type TimelineEntry, type TransitionName } from '../states';
import { loadSnapshot, loadVisibleCase, type CaseRow } from './case-snapshot';
import { storedDueDates } from './stored-due-dates';
import { departmentOfCounty, mediatorMayHandle, originPlacePath } from './transition-targets';
import { transitionInput, type TransitionInput } from './transition-input';

export interface TransitionResult {
	transition: TransitionName;
	from: CaseStatus;
	to: CaseStatus;
}

export interface TransitionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When the step happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** What another use case stores with the step, in the same transaction. */
	within?: (tx: Tx) => Promise<void>;
}

/**
 * Moves a case one step along the loop (接→转→办→评): looks it up among the cases the actor may see
 * (404 otherwise), asks the pure rules, then writes the change, its timeline entries and its audit row
 * in one transaction. The update only applies if the case is still as the rules saw it, so two people
 * acting at once cannot both move it; the second gets `conflict`. `within` writes what another use
 * case stores with the step (e.g. the mediation outcome that concludes the case) in the same transaction.
 */
export async function transitionCase(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: TransitionInput | Record<string, unknown>,
	options: TransitionOptions = {}
): Promise<TransitionResult> {
	const { ip, now = new Date(), within } = options;
	const row = await loadVisibleCase(db, actor, caseId);
	const input = parseInput(transitionInput, raw);
	const snapshot = await loadSnapshot(db, row);
	const command = await toCommand(db, row, input);
	const decision = decide(snapshot, caseActorOf(actor), command, now);
	if (!decision.ok) throw refusal(decision);

	const next = decision.next;
	const handlingPath = next.placePath ?? row.placePath;
	if (command.type === 'assign') {
		if (next.departmentId != null && next.departmentId !== row.departmentId && !(await departmentOfCounty(db, row, next.departmentId))) {
			throw new AppError('invalid', { departmentId: 'err_department_not_found' });
		}
		if (next.mediatorId != null && !(await mediatorMayHandle(db, next.mediatorId, handlingPath))) {
			throw new AppError('invalid', { mediatorId: 'err_mediator_invalid' });
		}
	}

	await db.transaction(async (tx) => {
		const [updated] = await tx
			.update(cases)
			.set(columnsFor(snapshot, row, next, decision.timeline, now))
			.where(unchangedSince(row))
			.returning({ id: cases.id });
		if (!updated) throw new AppError('conflict', { _: 'err_case_changed' });
		await tx.insert(caseEvents).values(timelineRows(row.id, decision.timeline, next));
		await recordAudit(tx, {
			action: 'case.transition',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: {
				transition: command.type,
				from: snapshot.status,
				to: next.status,
				actedAs: decision.timeline.actedAs,
				details: JSON.parse(JSON.stringify(decision.timeline.details))
			}
		});
		await within?.(tx);
	});
	return { transition: command.type, from: snapshot.status, to: next.status };
}

/**
 * The command for the rules. A place is named by id and must lie on the case's origin chain; one that
 * does not becomes an empty path, which the rules refuse as `invalid` only after they have checked who
 * and which state (so a caller without the right learns nothing about places).
 */
async function toCommand(db: Db, row: CaseRow, input: ReturnType<typeof transitionInput.parse>): Promise<CaseCommand> {
	const placePath = async () => (input.placeId === undefined ? '' : ((await originPlacePath(db, row, input.placeId)) ?? ''));
	const reason = input.reason ?? '';
	switch (input.type) {
		case 'accept':
		case 'start_mediation':
		case 'start_follow_up':
		case 'archive':
			return { type: input.type, note: input.note };
		case 'reject':
		case 'escalate':
		case 'request_review':
		case 'request_re_review':
			return { type: input.type, reason };
		case 'conclude':
			return { type: 'conclude', reason, summary: input.summary ?? '' };
		case 'answer_review':
			return { type: 'answer_review', summary: input.summary ?? '' };
		case 'extend':
			return { type: 'extend', days: input.days ?? Number.NaN, reason };
		case 'return_down':
			return { type: 'return_down', toPlacePath: await placePath(), reason };
		case 'assign': {
			// The current place is "no move"; only a different place is a routing target.
			const path = input.placeId === undefined || input.placeId === row.placeId ? undefined : await placePath();
			return {
				type: 'assign',
				placePath: path,
				departmentId: input.departmentId,
				mediatorId: input.mediatorId,
				handleBy: input.handleBy,
				note: input.note
			};
		}
	}
}

/** Field names of the rules mapped to form fields and their message keys. */
const INVALID_FIELDS: Record<string, [string, string]> = {
	reason: ['reason', 'err_reason'],
	summary: ['summary', 'err_summary'],
	note: ['note', 'err_note'],
	days: ['days', 'err_extension_days'],
	handleBy: ['handleBy', 'err_handle_by'],
	placePath: ['placeId', 'err_place_not_found'],
	toPlacePath: ['placeId', 'err_place_not_found'],
	departmentId: ['departmentId', 'err_department_not_found'],
	mediatorId: ['mediatorId', 'err_mediator_invalid'],
	target: ['_', 'err_assign_target'],
	type: ['_', 'err_invalid']
};

const WRONG_STATE: Record<string, string> = {
	extension: 'err_already_extended',
	reviewStage: 'err_review_stage',
	placeKind: 'err_no_level',
	acceptedAt: 'err_wrong_state',
	concludedAt: 'err_wrong_state'
};

function refusal(failure: DecisionFailure): AppError {
	switch (failure.reason) {
		case 'forbidden':
			return new AppError('forbidden');
		case 'out_of_scope':
			// The case is visible (else it was not found), so this is "not yours to do", not "no such case".
			return new AppError('forbidden', failure.field ? { [INVALID_FIELDS[failure.field]?.[0] ?? '_']: 'err_out_of_scope' } : {});
		case 'wrong_state':
			return new AppError('conflict', { _: WRONG_STATE[failure.field ?? ''] ?? 'err_wrong_state' });
		case 'window_closed':
			return new AppError('conflict', { _: 'err_window_closed' });
		case 'invalid': {
			const [field, key] = INVALID_FIELDS[failure.field ?? ''] ?? ['_', 'err_invalid'];
			return new AppError('invalid', { [field]: key });
		}
	}
}

/**
 * The optimistic check: the row must still hold every value the decision was based on. Timestamps
 * only move together with one of these, so they need no comparison of their own.
 */
function unchangedSince(row: CaseRow) {
	return and(
		eq(cases.id, row.id),
		eq(cases.status, row.status),
		eq(cases.reviewStage, row.reviewStage),
		eq(cases.placePath, row.placePath),
		sql`${cases.departmentId} is not distinct from ${row.departmentId}`,
		sql`${cases.mediatorId} is not distinct from ${row.mediatorId}`,
		sql`${cases.extensionDays} is not distinct from ${row.extensionDays}`
	);
}

function columnsFor(snapshot: CaseSnapshot, row: CaseRow, next: CaseChanges, entry: TimelineEntry, now: Date): Partial<CaseRow> {
	const after: CaseSnapshot = { ...snapshot, ...next };
	const set: Partial<CaseRow> = { status: next.status, lastActivityAt: now, ...storedDueDates(after) };
	if (next.placePath !== undefined) {
		set.placePath = next.placePath;
		set.placeId = pathIds(next.placePath).at(-1)!;
	}
	if (next.departmentId !== undefined) set.departmentId = next.departmentId;
	if (next.mediatorId !== undefined) set.mediatorId = next.mediatorId;
	if (next.acceptedAt !== undefined) set.acceptedAt = next.acceptedAt;
	if (next.routedAt !== undefined) set.assignedAt = next.routedAt;
	if (next.concludedAt !== undefined) set.concludedAt = next.concludedAt;
	if (next.reviewStage !== undefined) set.reviewStage = next.reviewStage;
	if (next.reviewRequestedAt !== undefined) set.reviewRequestedAt = next.reviewRequestedAt;
	if (next.reviewAnsweredAt !== undefined) set.reviewAnsweredAt = next.reviewAnsweredAt;
	if (next.reReviewRequestedAt !== undefined) set.reReviewRequestedAt = next.reReviewRequestedAt;
	if (next.reReviewAnsweredAt !== undefined) set.reReviewAnsweredAt = next.reReviewAnsweredAt;
	if (next.extension !== undefined) {
		set.extensionDays = next.extension?.days ?? null;
		set.extensionReason = next.extension?.reason ?? null;
	}
	if (next.status === 'archived' && row.status !== 'archived') set.archivedAt = now;
	if (entry.transition === 'reject') set.rejectReason = entry.text;
	if (entry.transition === 'conclude') {
		set.conclusionReason = entry.text;
		set.conclusionSummary = entry.summary;
	}
	return set;
}

/**
 * The timeline rows of one transition. The step itself is always public (the petitioner follows it
 * on the public page, worded there from its kind and statuses); its text and summary are public only
 * when the rules say they are told to the petitioner (a refusal, an extension, a reply). Anything
 * else — an internal note, where it was routed, to whom, the working deadline — goes in a second,
 * staff-only row (`staff_note`), so a public row never carries staff-only content.
 */
function timelineRows(caseId: number, entry: TimelineEntry, next: CaseChanges): (typeof caseEvents.$inferInsert)[] {
	const step: typeof caseEvents.$inferInsert = {
		caseId,
		at: entry.at,
		actorId: entry.actorId,
		kind: entry.transition,
		fromStatus: entry.fromStatus,
		toStatus: entry.toStatus,
		note: entry.publicText ? entry.text : null,
		data: entry.publicText && entry.summary ? { summary: entry.summary } : {},
		public: true
	};
	const staffText = entry.publicText ? null : entry.text;
	const details: Record<string, unknown> = JSON.parse(JSON.stringify(entry.details));
	// The working deadline has no column: the last staff row that names it is where it is kept.
	if ('handleBy' in next) details.handleBy = next.handleBy ?? null;
	if (!staffText && Object.keys(details).length === 0) return [step];
	return [
		step,
		{
			caseId,
			at: entry.at,
			actorId: entry.actorId,
			kind: 'staff_note',
			note: staffText,
			data: { transition: entry.transition, actedAs: entry.actedAs, ...details },
			public: false
		}
	];
}
