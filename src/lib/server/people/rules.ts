import { z } from 'zod';
import type { PanelistType, RoleName } from '../../types';
import { normalizePhone } from '../../utils/phone';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password';
import { isWeakPassword } from '../auth/password-strength';
import { normalizeText } from '../../utils/invisible-chars';

export const ROLES: RoleName[] = [
	'admin',
	'supervisor',
	'mediator',
	'legal_advisor',
	'legal_villager',
	'panelist',
	'agent',
	'grid_worker',
	'party'
];

export const PANELIST_TYPES: PanelistType[] = [
	'lawyer',
	'veteran_party_member',
	'retired_cadre',
	'model_worker',
	'social_worker',
	'counsellor',
	'professional_mediator'
];

const optionalText = z
	.string()
	.optional()
	.nullable()
	.transform((s) => (s == null || s.trim() === '' ? null : s));

/** An optional numeric id from a form (`''` means none) or from code (a number or null). */
export const optionalId = z.preprocess(
	(v) => (v === '' || v == null ? null : v),
	z.coerce.number({ message: 'err_invalid' }).int('err_invalid').positive('err_invalid').nullable()
);

export const usernameSchema = optionalText.pipe(
	z
		.string()
		.transform((s) => s.trim().toLowerCase())
		.pipe(z.string().min(3, 'err_username_short').max(32, 'err_too_long').regex(/^[a-z][a-z0-9_.-]*$/, 'err_username_chars'))
		.nullable()
);

export const phoneSchema = optionalText.pipe(
	z
		.string()
		.max(30, 'err_phone_invalid')
		.transform((s, ctx) => {
			const phone = normalizePhone(s);
			if (!phone) {
				ctx.addIssue({ code: 'custom', message: 'err_phone_invalid' });
				return z.NEVER;
			}
			return phone;
		})
		.nullable()
);

export const personNameSchema = z
	.string({ message: 'err_required' })
	.transform((s) => normalizeText(s).trim())
	.pipe(z.string().min(1, 'err_required').max(40, 'err_too_long').regex(/^[^\p{Cc}]*$/u, 'err_invalid_chars'));

export const passwordSchema = z
	.string({ message: 'err_required' })
	.min(PASSWORD_MIN, 'err_password_short')
	.max(PASSWORD_MAX, 'err_too_long')
	.refine((p) => p.length < PASSWORD_MIN || p.length > PASSWORD_MAX || !isWeakPassword(p), 'sec_password_common');

export const rolesSchema = z
	.array(z.enum(ROLES as [RoleName, ...RoleName[]], { message: 'err_invalid' }))
	.min(1, 'err_roles_required')
	.transform((r) => [...new Set(r)]);

export const panelistTypeSchema = optionalText.pipe(z.enum(PANELIST_TYPES as [PanelistType, ...PanelistType[]], { message: 'err_invalid' }).nullable());

/** Fields of a person as admins edit them; login needs a username or a phone. */
export const personSchema = z
	.object({
		name: personNameSchema,
		username: usernameSchema,
		phone: phoneSchema,
		placeId: z.coerce.number({ message: 'err_required' }).int().positive('err_required'),
		departmentId: optionalId,
		roles: rolesSchema,
		panelistType: panelistTypeSchema
	})
	.superRefine((v, ctx) => {
		if (!v.username && !v.phone) ctx.addIssue({ code: 'custom', path: ['username'], message: 'err_login_required' });
		if (v.roles.includes('panelist') && !v.panelistType) ctx.addIssue({ code: 'custom', path: ['panelistType'], message: 'err_panelist_type_required' });
	});

/** Everyone but a party (当事人) works in the system; only they see the staff directory. */
export const STAFF_ROLES: RoleName[] = ROLES.filter((r) => r !== 'party');

export function isAdmin(viewer: { roles: { role: RoleName }[] }): boolean {
	return viewer.roles.some((r) => r.role === 'admin');
}

export function isStaff(viewer: { roles: { role: RoleName }[] }): boolean {
	return viewer.roles.some((r) => r.role !== 'party');
}

/**
 * Departments are county bodies, and membership widens what a person sees (matters routed to the
 * department), so only an admin at the county may create them, rename them or put people in them.
 */
export function managesCounty(viewer: { roles: { role: RoleName }[]; place: { kind: string } }): boolean {
	return isAdmin(viewer) && viewer.place.kind === 'county';
}
