import { expect } from 'vitest';
import { AppError, HTTP_STATUS, type AppErrorCode } from '../../src/lib/server/errors';

/**
 * What a use case's caller sees of an expected failure, in the shapes the tests compare. Anything
 * thrown that is not an `AppError` is thrown on: a crash never passes for a refusal.
 */

async function settle(p: Promise<unknown>): Promise<AppError | null> {
	try {
		await p;
		return null;
	} catch (err) {
		if (err instanceof AppError) return err;
		throw err;
	}
}

/** `'ok'`, or the refusal's code, or for `invalid` and `conflict` its field → message-key map. */
export async function refusalOf(p: Promise<unknown>): Promise<'ok' | AppErrorCode | Record<string, string>> {
	const err = await settle(p);
	if (!err) return 'ok';
	return err.code === 'invalid' || err.code === 'conflict' ? err.fields : err.code;
}

/** As `refusalOf`, with the code beside the fields: `{ code: 'invalid', title: 'err_…' }`. */
export async function codedRefusalOf(p: Promise<unknown>): Promise<'ok' | AppErrorCode | Record<string, string>> {
	const err = await settle(p);
	if (!err) return 'ok';
	return err.code === 'invalid' || err.code === 'conflict' ? { code: err.code, ...err.fields } : err.code;
}

/** `'ok'`, or the refusal's code and fields. */
export async function appErrorOf(p: Promise<unknown>): Promise<{ code: 'ok' | AppErrorCode; fields: Record<string, string> }> {
	const err = await settle(p);
	return err ? { code: err.code, fields: err.fields } : { code: 'ok', fields: {} };
}

/** `'ok'`, the refusal's code, or (for anything else thrown) its text: for tallying many calls at once. */
export function codeOf(p: Promise<unknown>): Promise<string> {
	return p.then(
		() => 'ok',
		(e) => (e instanceof AppError ? e.code : String(e))
	);
}

/**
 * Expects `p` to be refused with `expected` (a code, one of some codes, or the HTTP status the edge
 * maps it to) and, when given, `messageKey` as the message of some field, or exactly these fields
 * (field → message key); returns the error.
 */
export async function expectAppError(
	p: Promise<unknown>,
	expected: AppErrorCode | readonly AppErrorCode[] | number,
	messageKey?: string | Record<string, string>
): Promise<AppError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err, 'refused with an AppError').toBeInstanceOf(AppError);
	const appError = err as AppError;
	if (typeof expected === 'number') expect(HTTP_STATUS[appError.code], `status of ${appError.code}`).toBe(expected);
	else if (Array.isArray(expected)) expect(expected).toContain(appError.code);
	else expect(appError.code).toBe(expected);
	if (typeof messageKey === 'string') expect(Object.values(appError.fields)).toContain(messageKey);
	else if (messageKey) expect(appError.fields).toEqual(messageKey);
	return appError;
}
