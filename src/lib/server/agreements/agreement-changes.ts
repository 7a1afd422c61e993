import { asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { CollabServer } from '../collab/api';
import type { CaseRow } from '../cases/work/case-snapshot';
import type { Db } from '../db';
import { agreements, caseParties, users, type Agreement } from '../db/schema';
import { diffText, type TextDiff } from '../diffs/text-diff';
import { loadAgreementCase } from './agreement-case';
import { loadCanonicalAgreement } from './agreement-content';
import { readAgreementDocument } from './agreement-document';
import { canonicalText } from './canonical-text';
import { lastUnfrozenText, type UnfrozenText } from './frozen-history';
import { loadInvitation, grantValid } from './signing-invitation';

/**
 * What changed in an agreement since its last unfrozen text: against the text frozen now (what the
 * parties are asked to sign again) or, while it is a draft, against the draft rendered the way it
 * would be frozen. Null when the agreement was never unfrozen.
 */
export interface AgreementChanges {
	previous: Omit<UnfrozenText, 'text'>;
	current: { kind: 'frozen'; revision: number; frozenAt: Date | null; frozenBy: string | null } | { kind: 'draft' };
	diff: TextDiff;
}

/**
 * The changes for an agreement the caller may already read (no access check here). A draft's text is
 * the canonical text of what the editors typed and the terms stored, as `freezeAgreement` would render
 * it for the next revision, so the comparison is like with like.
 */
export async function changesSinceUnfreeze(db: Db, a: Agreement, caseRow: Pick<CaseRow, 'number' | 'placeId'>, collab: CollabServer | null): Promise<AgreementChanges | null> {
	const previous = await lastUnfrozenText(db, a.id);
	if (!previous) return null;
	const { text: before, ...rest } = previous;
	if (a.status !== 'draft' && a.frozenText !== null) {
		const [by] = a.frozenById === null ? [] : await db.select({ name: users.name }).from(users).where(eq(users.id, a.frozenById)).limit(1);
		return { previous: rest, current: { kind: 'frozen', revision: a.revision, frozenAt: a.frozenAt, frozenBy: by?.name ?? null }, diff: diffText(before, a.frozenText) };
	}
	return { previous: rest, current: { kind: 'draft' }, diff: diffText(before, await draftText(db, a, caseRow, collab)) };
}

async function draftText(db: Db, a: Agreement, caseRow: Pick<CaseRow, 'number' | 'placeId'>, collab: CollabServer | null): Promise<string> {
	const partyIds = (await db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, a.caseId)).orderBy(asc(caseParties.id))).map((p) => p.id);
	const live = await readAgreementDocument(db, a.caseId, partyIds, collab);
	const draft = live ? { ...a, facts: live.facts, issues: live.issues, otherTerms: live.otherTerms } : a;
	const content = await loadCanonicalAgreement(db, draft, { caseNumber: caseRow.number, committeePlaceId: a.committeePlaceId ?? caseRow.placeId, revision: a.revision + 1 });
	if (live) for (const p of content.parties) p.responsibility = live.responsibility[p.id] ?? p.responsibility;
	return canonicalText(content);
}

export interface GetAgreementChangesOptions {
	/** The running collaboration server (`event.locals.collab`), for a draft's live text. */
	collab: CollabServer | null;
}

/** For the agreement's page: whoever may read the agreement (parties too) sees what changed. */
export async function getAgreementChanges(
	db: Db,
	viewer: Viewer,
	caseId: unknown,
	options: GetAgreementChangesOptions
): Promise<{ caseRow: { id: number; number: string; title: string }; status: Agreement['status'] | null; changes: AgreementChanges | null }> {
	const { row } = await loadAgreementCase(db, viewer, caseId, 'see');
	const [a] = await db.select().from(agreements).where(eq(agreements.caseId, row.id)).limit(1);
	const caseRow = { id: row.id, number: row.number, title: row.title };
	if (!a) return { caseRow, status: null, changes: null };
	return { caseRow, status: a.status, changes: await changesSinceUnfreeze(db, a, row, options.collab) };
}

export interface SigningChangesOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * For a signing link: the same changes, once the party has entered their code, and only while the
 * agreement is frozen for signing (the text itself is shown under the same condition).
 */
export async function signingChanges(db: Db, token: unknown, grant: string | undefined, options: SigningChangesOptions = {}): Promise<AgreementChanges | null> {
	const { now = new Date() } = options;
	const inv = await loadInvitation(db, token);
	const [a] = await db.select().from(agreements).where(eq(agreements.id, inv.agreementId)).limit(1);
	if (!a || a.status !== 'frozen' || !grantValid(inv, grant, now)) return null;
	return changesSinceUnfreeze(db, a, { number: inv.caseNumber, placeId: a.committeePlaceId ?? 0 }, null);
}

/**
 * For the agreement page: the changes shown in full while the agreement is frozen (before anyone signs
 * again), and whether there is an earlier text at all (a draft links to its own page instead, which
 * reads the live draft). The caller has checked that the viewer may read the agreement.
 */
export async function changesForPage(db: Db, agreementId: number | null): Promise<{ changes: AgreementChanges | null; earlierFrozen: boolean }> {
	if (agreementId === null) return { changes: null, earlierFrozen: false };
	const [a] = await db.select().from(agreements).where(eq(agreements.id, agreementId)).limit(1);
	if (!a) return { changes: null, earlierFrozen: false };
	if (a.status === 'draft') return { changes: null, earlierFrozen: (await lastUnfrozenText(db, a.id)) !== null };
	const changes = await changesSinceUnfreeze(db, a, { number: '', placeId: a.committeePlaceId ?? 0 }, null);
	return { changes, earlierFrozen: changes !== null };
}
