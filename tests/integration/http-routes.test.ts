import { isRedirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import * as loginPage from '../../src/routes/(public)/login/+page.server';
import * as lang from '../../src/routes/lang/+server';

/**
 * The request-level defences, exercised through the route handlers themselves: redirect targets from
 * the request stay on our origin.
 */
const ORIGIN = 'http://localhost';
const EVIL = ['/\\evil.example', '//evil.example', '/%5Cevil.example'.replace('%5C', '\\'), 'https://evil.example', 'javascript:alert(1)', '/\t/evil.example'];

function event(path: string, init: { user?: boolean; form?: Record<string, string> } = {}): never {
	const url = new URL(path, ORIGIN);
	const body = new FormData();
	for (const [k, v] of Object.entries(init.form ?? {})) body.set(k, v);
	return {
		locals: { user: init.user ? { id: 1 } : null, session: null },
		params: {},
		url,
		request: new Request(url, init.form ? { method: 'POST', body } : {}),
		cookies: { get: () => undefined, set: () => undefined, delete: () => undefined }
	} as unknown as RequestEvent as never;
}

async function location(fn: () => unknown): Promise<string> {
	try {
		await fn();
	} catch (err) {
		if (isRedirect(err)) return err.location;
		throw err;
	}
	throw new Error('no redirect');
}

describe('redirect targets', () => {
	it.each(EVIL)('/login?next=%j while signed in goes home', async (next) => {
		const target = await location(() => loginPage.load(event(`/login?next=${encodeURIComponent(next)}`, { user: true })));
		expect(target).toBe('/');
	});

	it('/login?next=%2F%5Cevil.example (the reported URL) goes home', async () => {
		expect(await location(() => loginPage.load(event('/login?next=%2F%5Cevil.example', { user: true })))).toBe('/');
	});

	it.each(EVIL)('/lang with next=%j goes home', async (next) => {
		expect(await location(() => lang.POST(event('/lang', { form: { locale: 'en', next } })))).toBe('/');
	});

	it('a same-origin next is kept', async () => {
		expect(await location(() => loginPage.load(event(`/login?next=${encodeURIComponent('/cases/12?tab=a')}`, { user: true })))).toBe('/cases/12?tab=a');
		expect(await location(() => lang.POST(event('/lang', { form: { locale: 'en', next: '/stats?year=2026' } })))).toBe('/stats?year=2026');
	});
});
