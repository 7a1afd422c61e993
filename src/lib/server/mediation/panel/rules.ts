import { z } from 'zod';
import type { Viewer } from '../../../types';
import { isAtOrBelow } from '../../cases/permissions';
import type { CaseStatus } from '../../cases/states';
import { PANEL_MEMBER_TYPES } from '../../db/schema/mediation';
import { AppError } from '../../errors';
import { normalizeText } from '../../../utils/invisible-chars';

/**
 * Pure rules of the "大家来评理" panel and of mediator acceptance (人民调解法 arts. 20, 23). No DB:
 * the use cases load rows and ask these.
 */

export type PanelMemberType = (typeof PANEL_MEMBER_TYPES)[number];
export type Declaration = 'pending' | 'no_conflict' | 'recused';

/** A trimmed, NFC-normalised line of text without control characters; message keys as errors. */
export const text = (max: number, required = 'err_required') =>
	z
		.string({ message: required })
		.transform((s) => normalizeText(s).trim())
		.pipe(z.string().min(1, required).max(max, 'err_too_long').regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$/, 'err_invalid_chars'));

/** The same, or null when left empty. */
export const optionalText = (max: number) =>
	z.preprocess((v) => (v == null || (typeof v === 'string' && v.trim() === '') ? null : v), text(max).nullable());

const id = (message: string) => z.coerce.number({ message }).int(message).positive(message);

/**
 * Art. 20: an invitee sits only with the parties' consent, so how they consented is part of the
 * invitation and an invitation without it is refused.
 */
export const inviteInput = z.object({
	userId: id('err_pn_invitee_required'),
	memberType: z.enum(PANEL_MEMBER_TYPES, { message: 'err_pn_type_required' }),
	partiesConsent: text(300, 'err_pn_consent_required')
});

export const declareInput = z
	.object({
		declaration: z.enum(['no_conflict', 'recused'], { message: 'err_pn_declaration_required' }),
		note: optionalText(500)
	})
	.superRefine((v, ctx) => {
		// Recusal must say why, so the mediator can tell the parties and find someone else.
		if (v.declaration === 'recused' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'err_pn_recuse_note_required' });
	});

export const removeInput = z.object({ memberId: id('err_invalid'), reason: text(300, 'err_pn_reason_required') });

/** Art. 23: each party's choice or acceptance of the mediator; a refusal says why or whom they want. */
export const acceptanceInput = z
	.object({
		partyId: id('err_pn_party_required'),
		accepted: z.enum(['yes', 'no'], { message: 'err_pn_accepted_required' }).transform((v) => v === 'yes'),
		note: optionalText(300)
	})
	.superRefine((v, ctx) => {
		if (!v.accepted && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'err_pn_refusal_note_required' });
	});

export type InviteInput = z.input<typeof inviteInput>;
export type DeclareInput = z.input<typeof declareInput>;
export type RemoveInput = z.input<typeof removeInput>;
export type AcceptanceInput = z.input<typeof acceptanceInput>;

/**
 * Who runs the mediation of a case (forms the panel, schedules and runs sessions): its assigned
 * mediator, or a mediator or supervisor whose place covers the place handling it now. Department
 * staff act by department, not by place (as in the case grants), so they do not qualify by place.
 */
export function mayRunMediation(viewer: Viewer, c: { mediatorId: number | null; placePath: string }): boolean {
	if (c.mediatorId !== null && c.mediatorId === viewer.id) return true;
	const placeStaff = viewer.department === null && viewer.roles.some((r) => r.role === 'mediator' || r.role === 'supervisor');
	return placeStaff && isAtOrBelow(c.placePath, viewer.place.path);
}

/** A matter refused, concluded or filed away takes no new panel members or sessions. */
const CLOSED: readonly CaseStatus[] = ['not_accepted', 'concluded', 'follow_up', 'archived'];

export function isCaseOpen(status: CaseStatus): boolean {
	return !CLOSED.includes(status);
}

export function requireOpenCase(status: CaseStatus): void {
	if (!isCaseOpen(status)) throw new AppError('conflict', { _: 'err_pn_case_closed' });
}

/**
 * What a member may declare now: a first declaration either way; after declaring no conflict, a
 * later recusal (a conflict that came to light). A recusal is final, and declarations are not repeated.
 */
export function declarationAllowed(current: Declaration, next: 'no_conflict' | 'recused'): boolean {
	return current === 'pending' || (current === 'no_conflict' && next === 'recused');
}
