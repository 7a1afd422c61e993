import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { panelMembers } from '../../db/schema';
import { AppError } from '../../errors';
import { parseInput } from '../../validation';
import { recordCaseActivity } from '../../cases/activity';
import { loadMediationCase } from '../../cases/access';
import { declarationAllowed, declareInput, type DeclareInput } from './rules';

export interface DeclareConflictOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A panel member's own declaration: no conflict of interest (they may then co-edit the record), or
 * recusal with the reason (they lose the record; the collaboration server re-checks open sockets).
 * Only the member declares for themselves.
 */
export async function declareConflict(
	db: Db,
	viewer: Viewer,
	caseId: unknown,
	raw: DeclareInput | Record<string, unknown>, options: DeclareConflictOptions = {}
): Promise<{ memberId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const [member] = await db
		.select({ id: panelMembers.id, conflict: panelMembers.conflict })
		.from(panelMembers)
		.where(and(eq(panelMembers.caseId, row.id), eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt)))
		.limit(1);
	if (!member) throw new AppError('forbidden');
	const input = parseInput(declareInput, raw);
	if (!declarationAllowed(member.conflict, input.declaration)) throw new AppError('conflict', { _: 'err_pn_already_declared' });

	await db.transaction(async (tx) => {
		const [updated] = await tx
			.update(panelMembers)
			.set({ conflict: input.declaration, conflictNote: input.note, declaredAt: now })
			.where(and(eq(panelMembers.id, member.id), eq(panelMembers.conflict, member.conflict), isNull(panelMembers.removedAt)))
			.returning({ id: panelMembers.id });
		if (!updated) throw new AppError('conflict', { _: 'err_pn_member_changed' });
		await recordCaseActivity(tx, row.id, viewer.id, now, [
			{ kind: 'panel_declare', note: input.note, data: { memberId: member.id, declaration: input.declaration } }
		]);
		await recordAudit(tx, {
			action: 'panel.declare',
			actorId: viewer.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { memberId: member.id, declaration: input.declaration }
		});
	});
	return { memberId: member.id };
}
