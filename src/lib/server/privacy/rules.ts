/**
 * Personal information rules (个人信息保护法). Pure: no database, shared by use cases and pages.
 *
 * Art. 28 makes ID numbers sensitive, and arts. 6 and 51 ask that personal data be processed only for
 * a stated purpose and that access be limited and recorded. So a full phone, ID number or address is
 * shown only after a purpose is chosen from this list, and the purpose goes into the audit row.
 */
import { z } from 'zod';
import { freeText } from '../validation';

export const UNMASK_PURPOSES = ['service', 'identity', 'document', 'contact', 'other'] as const;
export type UnmaskPurpose = (typeof UNMASK_PURPOSES)[number];

/** The fields shown masked by default. */
export const PERSONAL_FIELDS = ['phone', 'idNumber', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** "Other" needs a note saying what for; the listed purposes may carry one. */
export const unmaskInput = z
	.object({
		partyId: z.coerce.number({ message: 'err_required' }).int('err_required').positive('err_required'),
		purpose: z.enum(UNMASK_PURPOSES, { message: 'pi_err_purpose' }),
		note: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), freeText(200).optional())
	})
	.superRefine((v, ctx) => {
		if (v.purpose === 'other' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'pi_err_note_needed' });
	});
