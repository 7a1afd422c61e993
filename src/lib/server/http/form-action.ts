import { error, fail, type ActionFailure } from '@sveltejs/kit';
import type { FormState } from '../../utils/form-state';
import { AppError, HTTP_STATUS } from '../errors';
import { echoValues } from './echo-values';

/**
 * The one edge between use cases and forms. Use cases throw `AppError`s whose `fields` map a field to
 * a message key (`_` for the form as a whole); an action maps them here to `fail()` — the message, the
 * field errors and the values sent (through `echoValues`, so nothing huge comes back) — or, when there
 * is nothing the form could show, to the error page. Anything that is not an AppError is a real error
 * and propagates.
 */

/** A form's fields as strings (the use cases trim and check them). */
export function formFields(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const key of new Set(form.keys())) values[key] = String(form.get(key) ?? '');
	return values;
}

/** A form's fields as strings; the names in `multi` (checkbox groups) as lists. */
export function formValues(form: FormData, multi: string[] = []): Record<string, string | string[]> {
	const values: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		values[key] = multi.includes(key) ? form.getAll(key).map(String) : String(form.get(key) ?? '');
	}
	for (const key of multi) values[key] ??= [];
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

/**
 * For loads (and actions with nothing to refill): a record outside the viewer's scope is 404 like a
 * missing one, a lacking power 403; anything else propagates.
 */
export function pageError(err: unknown): never {
	if (err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden')) error(HTTP_STATUS[err.code], err.code);
	throw err;
}

type PageCode = 'not_found' | 'forbidden';

export interface FailureOptions<M extends string | null, E extends object> {
	/** Which form of the page was sent (and which row, for a per-row form). */
	action?: string;
	target?: string;
	/**
	 * When a refusal is the error page rather than the form again: `'bare'` (the default) for a
	 * `not_found`/`forbidden` that names no field and no message — there is nothing to refill — or the
	 * codes that always are (e.g. a supervision order out of reach looks like no order at all).
	 */
	errorPage?: 'bare' | readonly PageCode[];
	/** The message key when the error names none (default `err_form`); `null` shows the field errors alone. */
	fallback?: (err: AppError, fields: Record<string, string>) => M;
	/** The field errors under the form's own input names, when they differ from the use case's (e.g. a party row's). */
	renameFields?: (fields: Record<string, string>) => Record<string, string>;
	/** More data the page reads beside the form state (e.g. how long to wait after a rate limit). */
	extra?: E;
}

/** What a refused form gets back: its message, its field errors and the values to refill. */
export type Refusal<V, M extends string | null = string> = {
	action?: string;
	target?: string;
	message: M;
	fields: Record<string, string>;
	values: V;
};

/** An expected failure as what the form shows again; see the module comment. */
export function formFailure<V, M extends string | null = string, E extends object = object>(
	err: unknown,
	values: V,
	options: FailureOptions<M, E> = {}
): ActionFailure<E & Refusal<V, M>> {
	if (!(err instanceof AppError)) throw err;
	const { _: message, ...named } = err.fields;
	const { errorPage = 'bare' } = options;
	const fields = options.renameFields ? options.renameFields(named) : named;
	const bare = !message && Object.keys(fields).length === 0;
	if ((err.code === 'not_found' || err.code === 'forbidden') && (errorPage === 'bare' ? bare : errorPage.includes(err.code))) pageError(err);
	const refusal: Refusal<V, M> = {
		...(options.action === undefined ? {} : { action: options.action }),
		...(options.target === undefined ? {} : { target: options.target }),
		message: (message ?? (options.fallback ? options.fallback(err, fields) : 'err_form')) as M,
		fields,
		values: echoValues(values, fields)
	};
	return fail(HTTP_STATUS[err.code], { ...(options.extra as E), ...refusal });
}

/**
 * Runs one use case for a form: its success is `done` (a message key, with `doneParams` from the
 * result), its expected failure the form again (`formFailure` with the bare-404/403 rule).
 */
export async function act<T>(
	action: string,
	values: Record<string, string>,
	work: () => Promise<T>,
	done: string,
	target?: string,
	doneParams?: (result: T) => Record<string, string | number>
): Promise<FormState | ActionFailure<FormState>> {
	try {
		const result = await work();
		return { action, target, done, ...(doneParams ? { doneParams: doneParams(result) } : {}) };
	} catch (err) {
		return formFailure(err, values, { action, target });
	}
}
