import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import type { CaseRow } from '../cases/work/case-snapshot';
import type { Db, Tx } from '../db';
import { agreements, caseParties, cases, panelMembers, type Agreement } from '../db/schema';
import { AppError } from '../errors';
import { loadMediationCase, mayRunMediation } from '../cases/access';

/**
 * What the viewer may do with a case's agreement, by the same model as the live record
 * (mediation/document-access.ts): the mediator running the case and panel members who declared no
 * conflict edit the draft; only the mediator runs it (create, freeze, unfreeze, invite, sign as
 * mediator); the case's own parties read it and sign for themselves; everyone else who may see the
 * case reads it; a recused panel member does not see it.
 */
export interface AgreementAccess {
	edit: boolean;
	run: boolean;
	/** The case parties this viewer is (their own account), who may sign on the page. */
	ownPartyIds: number[];
}

export type AgreementNeed = 'see' | 'edit' | 'run';

export async function agreementAccess(db: Db | Tx, viewer: Viewer, row: CaseRow): Promise<AgreementAccess | null> {
	const [[member], own] = await Promise.all([
		db
			.select({ conflict: panelMembers.conflict })
			.from(panelMembers)
			.where(and(eq(panelMembers.caseId, row.id), eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt)))
			.limit(1),
		db
			.select({ id: caseParties.id })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, row.id), eq(caseParties.userId, viewer.id)))
	]);
	if (member?.conflict === 'recused') return null;
	const run = mayRunMediation(viewer, row);
	return { run, edit: run || member?.conflict === 'no_conflict', ownPartyIds: own.map((p) => p.id) };
}

/**
 * The case (looked up only within the viewer's scope: `not_found` outside it) and the viewer's access,
 * requiring `need` (`forbidden` when they see the case but may not do this).
 */
export async function loadAgreementCase(
	db: Db | Tx,
	viewer: Viewer,
	caseId: unknown,
	need: AgreementNeed
): Promise<{ row: CaseRow; access: AgreementAccess }> {
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const access = await agreementAccess(db, viewer, row);
	if (!access) throw new AppError('forbidden');
	if ((need === 'edit' && !access.edit) || (need === 'run' && !access.run)) throw new AppError('forbidden');
	return { row, access };
}

/** The agreement of a case, optionally locked for the rest of the transaction; `not_found` if none yet. */
export async function loadAgreementRow(db: Db | Tx, caseId: number, lock = false): Promise<Agreement> {
	const query = db.select().from(agreements).where(eq(agreements.caseId, caseId)).limit(1);
	const [row] = lock ? await query.for('update') : await query;
	if (!row) throw new AppError('not_found', { _: 'err_ag_no_agreement' });
	return row;
}

/**
 * An agreement's free text: only once the case has an agreement, within the case's scope; the people
 * who may edit the draft by its forms (`agreementAccess` above: the mediator running the case,
 * panel members who declared no conflict) edit it while it is a draft; everyone else who may see the
 * agreement reads it (and a party may suggest changes); once it is frozen or in force everybody only
 * views it: no editing and no suggesting ('view'). Freezing closes the open connections, which then
 * come back with 'view' (freeze-agreement.ts); the periodic re-check catches any other change.
 */
export async function agreementDocumentAccess(db: Db, viewer: Viewer, caseId: number): Promise<'write' | 'read' | 'view' | null> {
	const [row] = await db
		.select({ case: cases, status: agreements.status })
		.from(cases)
		.innerJoin(agreements, eq(agreements.caseId, cases.id))
		.where(and(eq(cases.id, caseId), caseVisibility(viewer)))
		.limit(1);
	if (!row) return null;
	const access = await agreementAccess(db, viewer, row.case);
	if (!access) return null;
	if (row.status !== 'draft') return 'view';
	return access.edit ? 'write' : 'read';
}
