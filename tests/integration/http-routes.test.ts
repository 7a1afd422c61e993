import { isActionFailure, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import { handleActionName } from '../../src/lib/server/http/action-name';
import { handleBodyLimit } from '../../src/lib/server/http/body-limit';
import { handleSecurityHeaders, HSTS } from '../../src/lib/server/http/security-headers';
import * as filePage from '../../src/routes/(public)/file/+page.server';
import * as loginPage from '../../src/routes/(public)/login/+page.server';
import * as lang from '../../src/routes/lang/+server';
import type { Viewer } from '../../src/lib/types';
import { routeEvent } from '../support/route-event';

// The refusals below happen before any database work; a database that is never there proves it.
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => ({}) }));

/**
 * The request-level defences, exercised through the route handlers themselves: redirect targets from
 * the request stay on our origin, bodies are capped per route, refused values are not echoed whole,
 * inherited action names are no actions, and the policy headers are set.
 */
const ORIGIN = 'http://localhost';
const EVIL = ['/\\evil.example', '//evil.example', '/%5Cevil.example'.replace('%5C', '\\'), 'https://evil.example', 'javascript:alert(1)', '/\t/evil.example'];

function event(path: string, init: { user?: boolean; form?: Record<string, string> } = {}): never {
	return routeEvent(path, { user: init.user ? ({ id: 1 } as Viewer) : null, form: init.form });
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

/**
 * Runs the handles of src/hooks.server.ts in its order (sequence() itself needs SvelteKit's request
 * store), with `resolve` standing in for the route.
 */
async function through(path: string, init: RequestInit & { routeId?: string | null } = {}, route?: (e: RequestEvent) => Promise<Response>) {
	const url = new URL(path);
	const resolved = vi.fn(async (e: RequestEvent) => (route ? route(e) : new Response('<html></html>', { headers: { 'content-type': 'text/html', 'content-security-policy': "default-src 'self'; connect-src 'self'; script-src 'self'" } })));
	const e = {
		request: new Request(url, init),
		url,
		route: { id: init.routeId === undefined ? '/(public)/file' : init.routeId },
		params: {},
		locals: {},
		cookies: { get: () => undefined, set: () => undefined, delete: () => undefined },
		isDataRequest: false,
		isSubRequest: false
	} as unknown as RequestEvent;
	const response = await handleSecurityHeaders({
		event: e,
		resolve: (e1) => handleActionName({ event: e1, resolve: (e2) => handleBodyLimit({ event: e2, resolve: resolved as never }) })
	});
	return { response, resolved };
}

describe('request bodies', () => {
	it('an anonymous 50 MB post to /file is refused before it is read, with a short 413', async () => {
		const { response, resolved } = await through('http://localhost/file', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(50 * 1024 * 1024), 'accept-language': 'zh-CN' },
			body: 'title=x'
		});
		expect(response.status).toBe(413);
		expect(resolved).not.toHaveBeenCalled();
		const text = await response.text();
		expect(text.length).toBeLessThan(500);
		expect(text).toContain('1 MB');
	});

	it('a body without a length is counted as it streams and fails past the limit', async () => {
		let read: unknown;
		const chunk = new Uint8Array(256 * 1024).fill(120);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= 8) return controller.close();
				sent++;
				controller.enqueue(chunk);
			}
		});
		await through('http://localhost/file', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, duplex: 'half' } as RequestInit, async (e) => {
			read = await e.request.formData().then(
				() => 'read',
				(err: { status?: number; cause?: { status?: number } }) => err.status ?? err.cause?.status
			);
			return new Response('');
		});
		expect(read).toBe(413);
		// It stopped pulling soon after the limit, not at the end of the body.
		expect(sent).toBeLessThan(8);
	});

	it('upload routes keep their own larger limits', async () => {
		const big = { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(40 * 1024 * 1024) }, body: '--x--' };
		expect((await through('http://localhost/cases/new', { ...big, routeId: '/(app)/cases/new' })).resolved).toHaveBeenCalled();
		expect((await through('http://localhost/verify', { ...big, headers: { ...big.headers, 'content-length': String(5 * 1024 * 1024) }, routeId: '/(public)/verify' })).resolved).toHaveBeenCalled();
		expect((await through('http://localhost/verify', { ...big, routeId: '/(public)/verify' })).response.status).toBe(413);
	});

	it('a refused form gets back no value longer than its field allows', async () => {
		const title = '地'.repeat(300_000);
		const form = { name: '孙大伯', phone: '13907921234', placeId: '1', categoryId: '3', title, description: '围墙' };
		const result = await (filePage.actions.default as unknown as (e: never) => Promise<unknown>)(event('/file', { form }));
		expect(isActionFailure(result)).toBe(true);
		const data = (result as { status: number; data: { fields: Record<string, string>; values: Record<string, string> } }).data;
		expect(data.fields.title).toBe('err_too_long');
		expect(data.values.title).toBe('');
		expect(data.values.name).toBe('孙大伯');
		expect(JSON.stringify(data).length).toBeLessThan(2_000);
	});
});

describe('action names', () => {
	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('?/%s is a 404 before any route code runs', async (name) => {
		const { response, resolved } = await through(`http://localhost/login?/${name}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a=b',
			routeId: '/(public)/login'
		});
		expect(response.status).toBe(404);
		expect(resolved).not.toHaveBeenCalled();
	});

	it('a real action name still reaches the route', async () => {
		const { resolved } = await through('http://localhost/track?/lookup', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b', routeId: '/(public)/track' });
		expect(resolved).toHaveBeenCalled();
	});
});

describe('policy headers', () => {
	it('HSTS on an https origin only', async () => {
		expect((await through('https://pingli.example/login', { routeId: '/(public)/login' })).response.headers.get('strict-transport-security')).toBe(HSTS);
		expect((await through('http://localhost/login', { routeId: '/(public)/login' })).response.headers.get('strict-transport-security')).toBeNull();
	});

	it('the CSP lets the page reach our own collaboration socket', async () => {
		const secure = (await through('https://pingli.example/login', { routeId: '/(public)/login' })).response.headers.get('content-security-policy');
		expect(secure).toContain("connect-src 'self' wss://pingli.example;");
		const plain = (await through('http://localhost:4308/login', { routeId: '/(public)/login' })).response.headers.get('content-security-policy');
		expect(plain).toContain("connect-src 'self' ws://localhost:4308;");
	});
});
