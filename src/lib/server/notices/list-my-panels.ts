import type { ConflictDeclaration } from '../../enums';
import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { CaseStatus } from '../cases/states';
import type { Db } from '../db';
import { agreements, cases, mediationSessions, panelMembers } from '../db/schema';

/** What a panel case waits for from this member, in the order they would do it. */
export type PanelAwait = 'declare' | 'session' | 'review' | 'record' | 'none';

export interface MyPanelCase {
	caseId: number;
	caseNumber: string;
	title: string;
	status: CaseStatus;
	conflict: ConflictDeclaration;
	awaits: PanelAwait;
	/** The session in progress, else the next one scheduled; `live` while it is in progress. */
	nextSession: { id: number; seq: number; at: Date; live: boolean } | null;
}

export interface ListMyPanelsOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The cases the viewer sits on the panel of (not removed), with what each awaits from them: a
 * declaration first; then the next session; then reading a frozen agreement; else the record is open.
 * Only the viewer's own memberships, so nothing here widens what they may see.
 */
export async function listMyPanels(db: Db, viewer: Viewer, options: ListMyPanelsOptions = {}): Promise<MyPanelCase[]> {
	const { now = new Date() } = options;
	const rows = await db
		.select({
			caseId: cases.id,
			caseNumber: cases.number,
			title: cases.title,
			status: cases.status,
			conflict: panelMembers.conflict,
			agreementStatus: agreements.status
		})
		.from(panelMembers)
		.innerJoin(cases, eq(cases.id, panelMembers.caseId))
		.leftJoin(agreements, eq(agreements.caseId, cases.id))
		.where(and(eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt)))
		.orderBy(asc(sql`case ${panelMembers.conflict} when 'pending' then 0 when 'no_conflict' then 1 else 2 end`), desc(panelMembers.invitedAt))
		.limit(50);
	const sessions = await nextSessions(db, rows.map((r) => r.caseId), now);
	return rows.map((r) => {
		const nextSession = sessions.get(r.caseId) ?? null;
		const awaits: PanelAwait =
			r.conflict === 'pending'
				? 'declare'
				: r.conflict === 'recused'
					? 'none'
					: nextSession
						? 'session'
						: r.agreementStatus === 'frozen'
							? 'review'
							: 'record';
		return { caseId: r.caseId, caseNumber: r.caseNumber, title: r.title, status: r.status, conflict: r.conflict, awaits, nextSession };
	});
}

/** Per case: the session in progress (a remote member joins it from here), else the next one scheduled. */
async function nextSessions(db: Db, caseIds: number[], now: Date): Promise<Map<number, { id: number; seq: number; at: Date; live: boolean }>> {
	const map = new Map<number, { id: number; seq: number; at: Date; live: boolean }>();
	if (caseIds.length === 0) return map;
	const rows = await db
		.select({ caseId: mediationSessions.caseId, id: mediationSessions.id, seq: mediationSessions.seq, at: mediationSessions.scheduledAt, status: mediationSessions.status })
		.from(mediationSessions)
		.where(
			and(
				inArray(mediationSessions.caseId, caseIds),
				or(eq(mediationSessions.status, 'in_progress'), and(eq(mediationSessions.status, 'scheduled'), gt(mediationSessions.scheduledAt, now)))
			)
		)
		.orderBy(asc(sql`case ${mediationSessions.status} when 'in_progress' then 0 else 1 end`), asc(mediationSessions.scheduledAt));
	for (const r of rows) if (!map.has(r.caseId)) map.set(r.caseId, { id: r.id, seq: r.seq, at: r.at, live: r.status === 'in_progress' });
	return map;
}
