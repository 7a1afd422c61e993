import type { ConflictDeclaration } from '../../../enums';
import { z } from 'zod';
import { PANEL_MEMBER_TYPES } from '../../db/schema/mediation';
import { freeText, optionalFreeText } from '../../validation';

/**
 * Pure rules of the "大家来评理" panel and of mediator acceptance (人民调解法 arts. 20, 23). No DB:
 * the use cases load rows and ask these.
 */

export type PanelMemberType = (typeof PANEL_MEMBER_TYPES)[number];
export type Declaration = ConflictDeclaration;

const id = (message: string) => z.coerce.number({ message }).int(message).positive(message);

/**
 * Art. 20: an invitee sits only with the parties' consent, so how they consented is part of the
 * invitation and an invitation without it is refused.
 */
export const inviteInput = z.object({
	userId: id('err_pn_invitee_required'),
	memberType: z.enum(PANEL_MEMBER_TYPES, { message: 'err_pn_type_required' }),
	partiesConsent: freeText(300, 'err_pn_consent_required')
});

export const declareInput = z
	.object({
		declaration: z.enum(['no_conflict', 'recused'], { message: 'err_pn_declaration_required' }),
		note: optionalFreeText(500)
	})
	.superRefine((v, ctx) => {
		// Recusal must say why, so the mediator can tell the parties and find someone else.
		if (v.declaration === 'recused' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'err_pn_recuse_note_required' });
	});

export const removeInput = z.object({ memberId: id('err_invalid'), reason: freeText(300, 'err_pn_reason_required') });

/** Art. 23: each party's choice or acceptance of the mediator; a refusal says why or whom they want. */
export const acceptanceInput = z
	.object({
		partyId: id('err_pn_party_required'),
		accepted: z.enum(['yes', 'no'], { message: 'err_pn_accepted_required' }).transform((v) => v === 'yes'),
		note: optionalFreeText(300)
	})
	.superRefine((v, ctx) => {
		if (!v.accepted && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'err_pn_refusal_note_required' });
	});

export type InviteInput = z.input<typeof inviteInput>;
export type DeclareInput = z.input<typeof declareInput>;
export type RemoveInput = z.input<typeof removeInput>;
export type AcceptanceInput = z.input<typeof acceptanceInput>;

/**
 * What a member may declare now: a first declaration either way; after declaring no conflict, a
 * later recusal (a conflict that came to light). A recusal is final, and declarations are not repeated.
 */
export function declarationAllowed(current: Declaration, next: 'no_conflict' | 'recused'): boolean {
	return current === 'pending' || (current === 'no_conflict' && next === 'recused');
}
