import { error, fail } from '@sveltejs/kit';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { ActionState } from './form-state';
import { echoValues } from '$lib/server/http/echo-values';


/** A form's fields as strings (the use cases trim and check them). */
export function fields(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const key of new Set(form.keys())) values[key] = String(form.get(key) ?? '');
	return values;
}

/**
 * A step that cannot simply be taken back (finalising an agreement, ending a session) is taken only
 * with its confirmation box ticked. A checkbox rather than a script dialog, so the confirmation works
 * without JavaScript; the server checks it too, since the browser's `required` is only a courtesy.
 * Call it after the caller is authorised, so someone who may not act is refused as such.
 */
export function requireConfirmed(values: Record<string, string>): void {
	if (values.confirm !== 'on') throw new AppError('invalid', { _: 'wd_err_confirm', confirm: 'wd_err_confirm' });
}

/** A load's failure: a case outside the viewer's scope is 404 (like a missing one), a lacking power 403. */
export function pageError(err: unknown): never {
	if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
	if (err instanceof AppError && err.code === 'forbidden') error(403, 'forbidden');
	throw err;
}

/**
 * Runs one use case for a form and maps its expected failures: 404/403 become the error page (there
 * is nothing to refill); invalid input and state conflicts go back to the form with the values sent.
 * Anything that is not an AppError is a real error and propagates.
 */
export async function act<T>(
	action: string,
	values: Record<string, string>,
	work: () => Promise<T>,
	done: string,
	target?: string,
	doneParams?: (result: T) => Record<string, string | number>
): Promise<ActionState | ReturnType<typeof fail<ActionState>>> {
	try {
		const result = await work();
		return { action, target, done, ...(doneParams ? { doneParams: doneParams(result) } : {}) };
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		const { _: message, ...fieldErrors } = err.fields;
		if ((err.code === 'not_found' || err.code === 'forbidden') && !message && Object.keys(fieldErrors).length === 0) pageError(err);
		return fail(HTTP_STATUS[err.code], { action, target, message: message ?? 'err_form', fields: fieldErrors, values: echoValues(values, fieldErrors) });
	}
}
