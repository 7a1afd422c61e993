import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/server/errors';
import { ECHO_MAX_FIELD } from '../../src/lib/server/http/echo-values';
import { act, formFailure, formValues, pageError, requireConfirmed } from '../../src/lib/server/http/form-action';

/** What `fn` threw, for the error-page cases (SvelteKit's `error()` throws an HttpError). */
function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (err) {
		return err;
	}
	throw new Error('nothing was thrown');
}

describe('the form edge: AppError → fail() or the error page', () => {
	it('refills the form with the message, the field errors and the values sent', () => {
		const failure = formFailure(new AppError('invalid', { _: 'err_x', name: 'err_required' }), { name: '' }, { action: 'save', target: '7' });
		expect(isActionFailure(failure)).toBe(true);
		expect(failure.status).toBe(400);
		expect(failure.data).toEqual({ action: 'save', target: '7', message: 'err_x', fields: { name: 'err_required' }, values: { name: '' } });
	});

	it('names err_form when the error carries no message, or what the fallback says', () => {
		expect(formFailure(new AppError('conflict', { name: 'err_taken' }), {}).data.message).toBe('err_form');
		const failure = formFailure(new AppError('forbidden'), {}, { errorPage: [], fallback: (e) => `${e.code}!` });
		expect(failure.status).toBe(403);
		expect(failure.data.message).toBe('forbidden!');
	});

	it('never echoes a value its field refused as too long, nor anything past the longest field', () => {
		const long = 'x'.repeat(ECHO_MAX_FIELD + 1);
		const failure = formFailure(new AppError('invalid', { note: 'err_too_long' }), { note: 'abc', name: long, ok: '𠮷' });
		expect(failure.data.values).toEqual({ note: '', name: '', ok: '𠮷' });
	});

	it('a bare not_found or forbidden is the error page; one with something to say is the form', () => {
		const notFound = thrown(() => formFailure(new AppError('not_found'), {}));
		expect(isHttpError(notFound, 404)).toBe(true);
		expect(isHttpError(thrown(() => formFailure(new AppError('forbidden'), {})), 403)).toBe(true);
		expect(formFailure(new AppError('not_found', { parentId: 'err_place_not_found' }), {}).status).toBe(404);
	});

	it('the codes listed in errorPage are always the error page, and only those', () => {
		const withField = new AppError('forbidden', { caseId: 'err_out_of_scope' });
		expect(isHttpError(thrown(() => formFailure(withField, {}, { errorPage: ['not_found', 'forbidden'] })), 403)).toBe(true);
		expect(formFailure(withField, {}, { errorPage: ['not_found'] }).status).toBe(403);
	});

	it('renames field errors to the form’s own inputs before echoing', () => {
		const failure = formFailure(new AppError('invalid', { 'parties.0.name': 'err_too_long' }), { p0_name: 'zzz' }, { renameFields: () => ({ p0_name: 'err_too_long' }) });
		expect(failure.data.fields).toEqual({ p0_name: 'err_too_long' });
		expect(failure.data.values).toEqual({ p0_name: '' });
	});

	it('lets anything that is not an AppError propagate', () => {
		const boom = new Error('database gone');
		expect(thrown(() => formFailure(boom, {}))).toBe(boom);
		expect(thrown(() => pageError(boom))).toBe(boom);
	});

	it('act() returns done on success and the refusal otherwise', async () => {
		expect(await act('save', {}, async () => 3, 'saved', 't', (n) => ({ n }))).toEqual({ action: 'save', target: 't', done: 'saved', doneParams: { n: 3 } });
		const refused = await act('save', { a: 'b' }, async () => requireConfirmed({}), 'saved');
		expect(isActionFailure(refused) && refused.data).toEqual({ action: 'save', message: 'wd_err_confirm', fields: { confirm: 'wd_err_confirm' }, values: { a: 'b' } });
	});

	it('reads checkbox groups as lists, present or not', () => {
		const form = new FormData();
		form.append('name', '张𠮷');
		form.append('roles', 'admin');
		form.append('roles', 'mediator');
		expect(formValues(form, ['roles', 'types'])).toEqual({ name: '张𠮷', roles: ['admin', 'mediator'], types: [] });
	});
});
