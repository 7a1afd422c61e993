/**
 * Behind a real reverse proxy (issue 17 §1): Debian's nginx with the shipped deploy/nginx/pingli.conf,
 * TLS on loopback with a throwaway self-signed certificate, in front of TWO instances of the built app
 * sharing one PostgreSQL database and one Redis (REDIS_URL), configured as README "Deploying" says
 * (ORIGIN https, ADDRESS_HEADER=x-forwarded-for, XFF_DEPTH=1).
 *
 * Checked: HTTP → HTTPS, HSTS, Secure session cookie, WebSocket upgrades of /collab/ through nginx to
 * each instance, the live record edited together by two people on different instances (a cookie pins
 * each browser to one: tests/support/nginx-proxy.ts) and the agreement signed across them, the client
 * address taken from the header nginx sets (never from what the client sent), and the request-size
 * limit equal to the app's.
 *
 * The stack (nginx, instances, database, Redis, ports) is tests/e2e/proxy-stack.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import postgres from 'postgres';
import { HSTS } from '../../src/lib/server/http/security-headers';
import { caseIdByTitle, demoSessionPath } from './demo-case';
import { expect, SESSION_COOKIE, signIn, zh } from './fixtures';
import { closePinned, PORTS, pinnedPage, test, upstreamOf } from './proxy-stack';
import { drawWithMouse } from './signing-helpers';

const read = (area: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}/zh-CN.json`), 'utf8'));
const rec = read('record');
const ag = read('agreement');
const sg = read('signing');
const wd = read('wording');

test.afterEach(closePinned);

test('plain HTTP is sent to HTTPS, and HTTPS pages carry HSTS', async ({ stack, playwright }) => {
	const api = await playwright.request.newContext({ ignoreHTTPSErrors: true });
	try {
		const plain = await api.get(`http://127.0.0.1:${PORTS.http}/login?next=%2Fcases`, { maxRedirects: 0 });
		expect(plain.status()).toBe(301);
		// The shipped redirect names the standard port (443), as a county's server listens on.
		expect(plain.headers()['location']).toBe('https://127.0.0.1/login?next=%2Fcases');
		const secure = await api.get(`${stack.origin}/login`);
		expect(secure.status()).toBe(200);
		expect(secure.headers()['strict-transport-security']).toBe(HSTS);
		// Once, from the app: nginx adds none of its own.
		expect(secure.headersArray().filter((h) => h.name.toLowerCase() === 'strict-transport-security')).toHaveLength(1);
		expect(secure.headers()['content-security-policy']).toContain(`connect-src 'self' wss://127.0.0.1:${PORTS.https}`);
	} finally {
		await api.dispose();
	}
});

test('through nginx, two people on two instances write one live record and the agreement is signed across them', async ({ stack, browser }) => {
	test.setTimeout(240_000);
	const mediator = await pinnedPage(browser, stack.origin, 'a');
	const signedIn = mediator.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
	await signIn(mediator, 'mediator');
	const answer = await signedIn;
	expect(answer.headers()['x-pingli-upstream']).toBe(upstreamOf('a'));
	await expect(mediator).toHaveURL('/');
	const cookie = (await mediator.context().cookies()).find((c) => c.name === SESSION_COOKIE);
	expect(cookie, 'the session cookie').toBeTruthy();
	expect(cookie!.secure).toBe(true);
	expect(cookie!.httpOnly).toBe(true);

	const panelist = await pinnedPage(browser, stack.origin, 'b', true);
	await signIn(panelist, 'panelist');
	await expect(panelist).toHaveURL('/');

	// The live record, each on their own instance: edits travel A → Redis → B and back.
	const path = await demoSessionPath(mediator);
	const editor = (page: Page) => page.getByRole('textbox', { name: rec.record_editor_label });
	const typeAtEnd = async (page: Page, text: string) => {
		await editor(page).click();
		await page.keyboard.press('ControlOrMeta+End');
		await page.keyboard.press('Enter');
		await page.keyboard.type(text);
	};
	for (const page of [mediator, panelist]) {
		const response = await page.goto(path);
		expect(response!.headers()['x-pingli-upstream']).toBe(upstreamOf(page === mediator ? 'a' : 'b'));
		await expect(editor(page)).toHaveAttribute('contenteditable', 'true');
	}
	await typeAtEnd(mediator, '经反向代理记录：甲方同意。');
	await typeAtEnd(panelist, '另一实例上的评理员：乙方同意。');
	for (const page of [mediator, panelist]) {
		await expect(editor(page)).toContainText('经反向代理记录：甲方同意。');
		await expect(editor(page)).toContainText('另一实例上的评理员：乙方同意。');
		await expect(page.locator('[data-state]')).toHaveText(rec.record_save_saved);
	}
	// Both sockets were WebSocket upgrades through nginx, one to each instance. nginx logs an upgraded
	// request when its connection ends, so both people leave the record first.
	for (const page of [mediator, panelist]) await page.goto('/');
	const upgradedTo = (pin: 'a' | 'b') => () =>
		stack.proxy
			.accessLog()
			.split('\n')
			.some((line) => /"GET \/collab\/\S* HTTP\/1\.1" 101 /.test(line) && line.endsWith(`upstream=${upstreamOf(pin)}`));
	await expect.poll(upgradedTo('a'), { message: 'a /collab/ upgrade to instance a' }).toBe(true);
	await expect.poll(upgradedTo('b'), { message: 'a /collab/ upgrade to instance b' }).toBe(true);

	// Signing: the mediator freezes the agreement on A; the applicant signs on B, on a phone; A shows it.
	const agreement = `/cases/${await caseIdByTitle(mediator)}/agreement`;
	await mediator.goto(agreement);
	await mediator.getByRole('checkbox', { name: wd.wd_confirm_freeze }).check();
	await mediator.getByRole('button', { name: ag.ag_freeze }).click();
	await expect(mediator.getByTestId('agreement-hash')).toHaveText(/^[0-9a-f]{64}$/);

	const applicant = await pinnedPage(browser, stack.origin, 'b', true);
	await signIn(applicant, 'party');
	await expect(applicant).toHaveURL('/');
	await applicant.goto(agreement);
	const mine = applicant.locator('section').filter({ has: applicant.getByRole('heading', { name: ag.ag_sign_as.replace('{name}', '孙大伯') }) });
	await drawWithMouse(mine.locator('canvas'));
	await mine.getByRole('checkbox', { name: sg.sg_confirm_name.replace('{name}', '孙大伯') }).check();
	const submit = mine.getByRole('button', { name: ag.ag_sign_submit });
	await expect(submit).toBeEnabled();
	await submit.click();
	await expect(applicant.locator('[data-testid^="signer-"]').filter({ hasText: '孙大伯' })).toContainText(ag.ag_signed_at.split(' ')[0]);

	await mediator.reload();
	await expect(mediator.locator('[data-testid^="signer-"]').filter({ hasText: '孙大伯' })).toContainText(ag.ag_signed_at.split(' ')[0]);
});

test('the client address is the one nginx saw, whatever X-Forwarded-For the client sent', async ({ stack }) => {
	// From 127.0.0.2: nginx sees that address, while the app's own socket sees nginx (127.0.0.1).
	const login = `xff-probe-${randomBytes(4).toString('hex')}`;
	const answer = await send(`${stack.origin}/login`, {
		method: 'POST',
		localAddress: '127.0.0.2',
		headers: { origin: stack.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7, 198.51.100.9' },
		body: new URLSearchParams({ login, password: 'not-the-password' }).toString()
	});
	expect(answer.status).toBe(400);
	expect(answer.body).toContain(zh.login_failed);
	// nginx writes the log line once the answer has gone out, so the client may read it first.
	await expect.poll(() => stack.proxy.accessLog(), { message: "nginx's log line" }).toMatch(/^127\.0\.0\.2 "POST \/login HTTP\/1\.1" 400 /m);
	const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql<{ ip: string }[]>`select ip from audit_log where action = 'auth.login_failed' and data->>'login' = ${login}`;
		expect(rows.map((r) => r.ip)).toEqual(['127.0.0.2']);
	} finally {
		await sql.end();
	}
});

test('nginx admits what the app admits: its body limit equals the app’s, and the app’s own refusals come through', async ({ stack, playwright }) => {
	// The shipped limit equals the production entry's BODY_SIZE_LIMIT default.
	const shipped = /client_max_body_size (\d+)m;/.exec(readFileSync(resolve(import.meta.dirname, '../../deploy/nginx/pingli.conf'), 'utf8'));
	const app = /BODY_SIZE_LIMIT \?\?= '(\d+)M'/.exec(readFileSync(resolve(import.meta.dirname, '../../src/server.js'), 'utf8'));
	expect(shipped?.[1]).toBeTruthy();
	expect(shipped?.[1]).toBe(app?.[1]);
	const limit = Number(shipped![1]) * 1024 * 1024;

	// 2 MB to a text form passes nginx and is refused by the app, briefly and in Chinese.
	const api = await playwright.request.newContext({ ignoreHTTPSErrors: true });
	try {
		const answer = await api.post(`${stack.origin}/file`, { form: { name: '孙大伯', title: 'x'.repeat(2 * 1024 * 1024) }, headers: { origin: stack.origin }, maxRedirects: 0 });
		expect(answer.status()).toBe(413);
		expect(await answer.text()).toContain('提交的内容太大');
	} finally {
		await api.dispose();
	}
	// One byte past the limit is refused by nginx from the declared length, before the body is sent.
	const past = await declaredLengthAnswer(`${stack.origin}/cases/new`, limit + 1);
	expect(past.status).toBe(413);
	expect(past.body).toContain('nginx');
	await expect.poll(() => stack.proxy.accessLog(), { message: "nginx's log line" }).toContain('"POST /cases/new HTTP/1.1" 413 upstream=-');
});

/** One request with Node's own client (the test's certificate is self-signed); the whole answer as text. */
function send(url: string, options: { method: string; headers: Record<string, string>; body?: string; localAddress?: string }): Promise<{ status: number; body: string }> {
	return new Promise((done, fail) => {
		const request = httpsRequest(url, { method: options.method, headers: options.headers, localAddress: options.localAddress, rejectUnauthorized: false }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => done({ status: response.statusCode ?? 0, body }));
		});
		request.on('error', fail);
		request.end(options.body);
	});
}

/** Sends headers declaring `length` bytes and only a few of them, and returns what the server answers. */
function declaredLengthAnswer(url: string, length: number): Promise<{ status: number; body: string }> {
	return new Promise((done, fail) => {
		const request = httpsRequest(url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) } }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => {
				request.destroy();
				done({ status: response.statusCode ?? 0, body });
			});
		});
		request.on('error', fail);
		request.write(Buffer.alloc(1024));
	});
}
