import type { AgreementStatus } from '../../enums';
import { and, asc, desc, eq, exists, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import type { CaseStatus } from '../cases/states';
import type { Db } from '../db';
import { agreements, caseParties, cases, mediationSessions, users } from '../db/schema';
import { linkParties } from './verify-login-code';

/** One of a party's own cases, as the party's home page shows it. */
export interface MyCase {
	id: number;
	number: string;
	title: string;
	status: CaseStatus;
	/** The session under way, else the next scheduled one. */
	nextSession: { id: number; scheduledAt: Date; inProgress: boolean; location: string | null; remote: boolean } | null;
	agreementStatus: AgreementStatus | null;
}

/**
 * The cases the viewer is a party to (linked through `case_parties.user_id`), newest first, within the
 * same scope rule as every case page (so nothing is listed that would not open). A case filed with
 * the person's number since they signed in is linked first, but only for a party account whose number
 * was proved by a text code: a number typed into an account by an administrator proves nothing.
 */
export async function listMyCases(db: Db, viewer: Viewer): Promise<MyCase[]> {
	if (!viewer.roles.some((r) => r.role === 'party')) return [];
	await linkVerifiedPhone(db, viewer);
	const rows = await db
		.select({ id: cases.id, number: cases.number, title: cases.title, status: cases.status, agreementStatus: agreements.status })
		.from(cases)
		.leftJoin(agreements, eq(agreements.caseId, cases.id))
		.where(
			and(
				caseVisibility(viewer),
				exists(sql`(select 1 from ${caseParties} where ${and(eq(caseParties.caseId, cases.id), eq(caseParties.userId, viewer.id))})`)
			)
		)
		.orderBy(desc(cases.registeredAt), desc(cases.id))
		.limit(50);
	if (rows.length === 0) return [];
	const sessions = await db
		.select({
			id: mediationSessions.id,
			caseId: mediationSessions.caseId,
			scheduledAt: mediationSessions.scheduledAt,
			status: mediationSessions.status,
			location: mediationSessions.location,
			remote: mediationSessions.remote
		})
		.from(mediationSessions)
		.where(and(inArray(mediationSessions.caseId, rows.map((r) => r.id)), inArray(mediationSessions.status, ['scheduled', 'in_progress'])))
		.orderBy(asc(mediationSessions.scheduledAt));
	return rows.map((r) => {
		const open = sessions.filter((s) => s.caseId === r.id);
		const next = open.find((s) => s.status === 'in_progress') ?? open[0] ?? null;
		return {
			id: r.id,
			number: r.number,
			title: r.title,
			status: r.status,
			agreementStatus: (r.agreementStatus as MyCase['agreementStatus']) ?? null,
			nextSession: next && { id: next.id, scheduledAt: next.scheduledAt, inProgress: next.status === 'in_progress', location: next.location, remote: next.remote }
		};
	});
}

/** Links party rows filed with the viewer's proven number since; a party-only account only. */
async function linkVerifiedPhone(db: Db, viewer: Viewer): Promise<void> {
	if (!viewer.phone || !viewer.roles.every((r) => r.role === 'party')) return;
	const phone = viewer.phone;
	const [pending] = await db
		.select({ id: caseParties.id })
		.from(caseParties)
		.innerJoin(users, eq(users.id, viewer.id))
		.where(and(eq(caseParties.phone, phone), isNull(caseParties.userId), isNotNull(users.phoneVerifiedAt)))
		.limit(1);
	// Most loads find nothing to link and write nothing.
	if (!pending) return;
	await db.transaction((tx) => linkParties(tx, viewer.id, phone, null));
}
