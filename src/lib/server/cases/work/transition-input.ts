import { z } from 'zod';
import { TRANSITIONS } from '../states';

const blankToUndefined = (v: unknown) => (v === '' || v == null ? undefined : v);
/** '' from a select means "none" (clear); a missing field means "leave unchanged". */
const blankToNull = (v: unknown) => (v === '' ? null : v);

const id = z.coerce.number({ message: 'err_invalid' }).int('err_invalid').positive('err_invalid');
const text = z.preprocess(blankToUndefined, z.string({ message: 'err_invalid' }).optional());

/**
 * A transition as a form or a caller sends it. Free text is checked by the pure rules; this only gives
 * the fields their types. Places are named by id here and turned into paths by `transitionCase`.
 */
export const transitionInput = z.object({
	type: z.enum(TRANSITIONS, { message: 'err_invalid' }),
	note: text,
	reason: text,
	summary: text,
	/** Extension days (1–30, checked by the rules). */
	days: z.preprocess(blankToUndefined, z.coerce.number({ message: 'err_extension_days' }).int('err_extension_days').optional()),
	/** assign: the place to route to; return_down: the place to return to. */
	placeId: z.preprocess(blankToUndefined, id.optional()),
	departmentId: z.preprocess(blankToNull, id.nullable().optional()),
	mediatorId: z.preprocess(blankToNull, id.nullable().optional()),
	/** assign: working deadline, YYYY-MM-DD. */
	handleBy: text
});

export type TransitionInput = z.input<typeof transitionInput>;
