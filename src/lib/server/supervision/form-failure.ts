import { error, fail } from '@sveltejs/kit';
import { AppError, HTTP_STATUS } from '../errors';
import { echoValues } from '../http/echo-values';

/**
 * Maps a supervision use case's expected failure for a form action: "not found" and "forbidden" are
 * the error pages (an order or case outside the viewer's reach looks like no order at all); anything
 * else refills the form with a message key, the field errors and the values sent. Unexpected errors
 * propagate as they are.
 */
export function formFailure(err: unknown, values: Record<string, string>) {
	if (!(err instanceof AppError)) throw err;
	if (err.code === 'not_found' || err.code === 'forbidden') error(HTTP_STATUS[err.code], err.code);
	const { _: message, ...fields } = err.fields;
	return fail(HTTP_STATUS[err.code], { message: message ?? 'err_form', fields, values: echoValues(values, fields) });
}

/** For loads: the use case's "not found" or "forbidden" as the error page; anything else propagates. */
export function loadFailure(err: unknown): never {
	if (err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden')) error(HTTP_STATUS[err.code], err.code);
	throw err;
}
