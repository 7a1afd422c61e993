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

/** Control characters but tab and line ends; in a one-line field, line ends and tabs too. */
const TEXT_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;
const LINE_CONTROL = /^[^\p{Cc}]*$/u;

/** NFC without invisible characters, `\n` line ends (a form posts a textarea's as `\r\n`), trimmed. */
const cleaned = (s: string) => normalizeText(s).replace(/\r\n?/g, '\n').trim();

/**
 * Free text from a form: cleaned, required (`required` is the message key when it is missing), at most
 * `max` characters, no control characters but tab and line ends. With `blank: 'empty'` it may be left
 * empty (or out) and is then `''`. These validators are the one way every use case takes text in, so
 * all fields clean text alike.
 */
export function freeText(max: number, required?: string): z.ZodType<string, unknown>;
export function freeText(max: number, options: { blank: 'empty' }): z.ZodType<string, unknown>;
export function freeText(max: number, rule: string | { blank: 'empty' } = 'err_required'): z.ZodType<string, unknown> {
	return textOf(max, rule, TEXT_CONTROL);
}

/** One line of text (a name, a title, a reason): the same, with no line ends or tabs either. */
export function lineText(max: number, required?: string): z.ZodType<string, unknown>;
export function lineText(max: number, options: { blank: 'empty' }): z.ZodType<string, unknown>;
export function lineText(max: number, rule: string | { blank: 'empty' } = 'err_required'): z.ZodType<string, unknown> {
	return textOf(max, rule, LINE_CONTROL);
}

function textOf(max: number, rule: string | { blank: 'empty' }, allowed: RegExp): z.ZodType<string, unknown> {
	if (typeof rule === 'string') {
		return z
			.string({ message: rule })
			.transform(cleaned)
			.pipe(z.string().min(1, rule).max(max, 'err_too_long').regex(allowed, 'err_invalid_chars'));
	}
	return z
		.string({ message: 'err_invalid' })
		.nullish()
		.transform((s) => cleaned(s ?? ''))
		.pipe(z.string().max(max, 'err_too_long').regex(allowed, 'err_invalid_chars'));
}

/** Free text, or null when left empty (or left out). */
export const optionalFreeText = (max: number) =>
	z.preprocess((v) => (v == null || (typeof v === 'string' && v.trim() === '') ? null : v), freeText(max).nullable());

/** A database id from a form field. */
export const formId = z.coerce.number({ message: 'err_required' }).int('err_required').positive('err_required');

const INT_MAX = 2_147_483_647;

/** A record id from a URL or form; anything that cannot be one is simply not found. */
export function idOf(raw: unknown): number {
	const value = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : raw;
	const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(id) || id < 1 || id > INT_MAX) throw new AppError('not_found');
	return id;
}
