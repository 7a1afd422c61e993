import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { agreementParties, agreements, caseParties, mediationSessions } from '../db/schema';
import { uniqueViolation } from '../db/unique-violation';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { requireOpenCase } from '../cases/access';
import { loadAgreementCase } from './agreement-case';

export interface CreateDraftOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Starts the draft agreement of a case: one per case. The main facts start from the matter as filed
 * (the mediator rewrites them from the record); every party of the case gets a responsibility line.
 * `sessionId`, when given, names the session in which the agreement was reached.
 */
export async function createDraft(
	db: Db,
	actor: Viewer,
	input: { caseId: unknown; sessionId?: number | null },
	options: CreateDraftOptions = {}
): Promise<{ agreementId: number }> {
	const { ip, now = new Date() } = options;
	const { row } = await loadAgreementCase(db, actor, input.caseId, 'run');
	requireOpenCase(row.status);
	if (input.sessionId != null) {
		const [session] = await db
			.select({ id: mediationSessions.id })
			.from(mediationSessions)
			.where(and(eq(mediationSessions.id, input.sessionId), eq(mediationSessions.caseId, row.id)));
		if (!session) throw new AppError('invalid', { sessionId: 'err_invalid' });
	}
	try {
		return await db.transaction(async (tx) => {
			const [agreement] = await tx
				.insert(agreements)
				.values({ caseId: row.id, sessionId: input.sessionId ?? null, facts: row.description, createdById: actor.id, createdAt: now, updatedAt: now })
				.returning({ id: agreements.id });
			const parties = await tx.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, row.id));
			if (parties.length > 0) await tx.insert(agreementParties).values(parties.map((p) => ({ agreementId: agreement.id, partyId: p.id })));
			await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'agreement_created', data: { agreementId: agreement.id } }]);
			await recordAudit(tx, { action: 'agreement.create', actorId: actor.id, subjectType: 'agreement', subjectId: agreement.id, ip, data: { caseId: row.id } });
			return { agreementId: agreement.id };
		});
	} catch (err) {
		if (uniqueViolation(err) === 'agreements_case_uq') throw new AppError('conflict', { _: 'err_ag_exists' });
		throw err;
	}
}
