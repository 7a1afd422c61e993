import { z } from 'zod';
import { PANELIST_TYPES, ROLE_NAMES, type PanelistType, type RoleName } from '../../enums';
import { normalizePhone } from '../../utils/phone';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password';
import { isWeakPassword } from '../auth/password-strength';
import { lineText } from '../validation';

export { PANELIST_TYPES, ROLE_NAMES as ROLES };
export { isAdmin, isStaff, managesCounty } from '../auth/roles';

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

export const personNameSchema = lineText(40);

export const passwordSchema = z
	.string({ message: 'err_required' })
	.min(PASSWORD_MIN, 'err_password_short')
	.max(PASSWORD_MAX, 'err_too_long')
	.refine((p) => p.length < PASSWORD_MIN || p.length > PASSWORD_MAX || !isWeakPassword(p), 'sec_password_common');

export const rolesSchema = z
	.array(z.enum(ROLE_NAMES, { message: 'err_invalid' }))
	.min(1, 'err_roles_required')
	.transform((r) => [...new Set(r)]);

export const panelistTypeSchema = optionalText.pipe(z.enum(PANELIST_TYPES, { message: 'err_invalid' }).nullable());

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
export const STAFF_ROLES: RoleName[] = ROLE_NAMES.filter((r) => r !== 'party');
