import { z } from 'zod';
import { AppError } from './errors';
import { normalizeText } from '../utils/invisible-chars';

/**
 * Parses input with a schema whose messages are message keys (e.g. `err_required`), throwing an
 * `invalid` AppError that names the first problem of each field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const fields: Record<string, string> = {};
	for (const issue of result.error.issues) {
		const field = issue.path.join('.') || '_';
		// Our message keys (err_…, sec_…, every area's prefix) pass; zod's own English sentences do not.
		fields[field] ??= /^[a-z]+(?:_[a-z0-9]+)+$/.test(issue.message) ? issue.message : 'err_invalid';
	}
	throw new AppError('invalid', fields);
}

/** Free text from a form: NFC, trimmed, required, at most `max` characters, no control characters. */
export const cleanText = (max: number) =>
	z
		.string({ message: 'err_required' })
		.transform((s) => normalizeText(s).trim())
		.pipe(z.string().min(1, 'err_required').max(max, 'err_too_long').regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$/, 'err_invalid_chars'));

/** A database id from a form field. */
export const formId = z.coerce.number({ message: 'err_required' }).int('err_required').positive('err_required');
