import { error, fail } from '@sveltejs/kit';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import { echoValues } from '$lib/server/http/echo-values';

/** A form's fields as strings; the names in `multi` (checkbox groups) as lists. */
export function formValues(form: FormData, multi: string[] = []): Record<string, string | string[]> {
	const values: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		values[key] = multi.includes(key) ? form.getAll(key).map(String) : String(form.get(key) ?? '');
	}
	for (const key of multi) values[key] ??= [];
	return values;
}

/** Turns a bare `not_found` or `forbidden` into the error page; rethrows anything else. */
export function errorPage(err: unknown): never {
	if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
	if (err instanceof AppError && err.code === 'forbidden') error(403, 'forbidden');
	throw err;
}

/**
 * Maps a use case's expected failure to what the form shows again: a message key, the field errors
 * and the values sent (never a password). A bare `not_found`/`forbidden` is the error page; anything
 * that is not an AppError is a real error and propagates.
 */
export function failForm(err: unknown, values: Record<string, unknown>, extra: Record<string, string | number> = {}) {
	if (!(err instanceof AppError)) throw err;
	const { _: message, ...fields } = err.fields;
	if (!message && Object.keys(fields).length === 0 && (err.code === 'not_found' || err.code === 'forbidden')) errorPage(err);
	return fail(HTTP_STATUS[err.code], { ...extra, message: message ?? 'err_form', fields, values: echoValues(values, fields) });
}
