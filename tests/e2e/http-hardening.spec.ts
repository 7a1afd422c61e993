import { expect, signIn, test } from './fixtures';

/**
 * Request-level defences against the built server: the policy headers every page carries, route ids
 * read strictly, inherited action names, and an oversized anonymous post answered briefly.
 */
test.describe('requests and headers', () => {
	test('every page carries a CSP whose scripts need our nonce, and the page still runs', async ({ page, baseURL }) => {
		const response = await page.goto('/login');
		const csp = response!.headers()['content-security-policy'];
		expect(csp).toBeTruthy();
		const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)![1];
		expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
		expect(scriptSrc).not.toContain('unsafe-inline');
		expect(scriptSrc).not.toContain('unsafe-eval');
		expect(csp).toContain(`connect-src 'self' ws://${new URL(baseURL!).host}`);
		expect(csp).toContain("frame-ancestors 'none'");
		// The inline start-up script carries the nonce, so the page hydrates and signing in works.
		const violations: string[] = [];
		page.on('console', (msg) => {
			if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
		});
		await signIn(page, 'mediator');
		await expect(page).not.toHaveURL(/\/login/);
		await page.goto('/cases');
		expect((await page.request.get('/cases')).headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
		expect(violations).toEqual([]);
		// Plain http here: no HSTS (tests/integration/http-routes.test.ts checks https).
		expect(response!.headers()['strict-transport-security']).toBeUndefined();
	});

	test('a case answers at its one address only', async ({ page }) => {
		await signIn(page, 'mediator');
		await page.goto('/cases');
		const href = await page.locator('a[href^="/cases/"]').filter({ hasText: /\S/ }).evaluateAll((links) =>
			links.map((a) => a.getAttribute('href')!).find((h) => /^\/cases\/[1-9][0-9]*$/.test(h))
		);
		expect(href).toBeTruthy();
		const id = Number(href!.split('/')[2]);
		expect((await page.request.get(`/cases/${id}`)).status()).toBe(200);
		for (const loose of [`0x${id.toString(16)}`, `${id}.0`, `${id / 10}e1`, `%20${id}`, `0${id}`, `${id}%20`, '-1', '0', `+${id}`]) {
			const answer = await page.request.get(`/cases/${loose}`, { maxRedirects: 0 });
			expect(answer.status(), loose).toBe(404);
			expect(await answer.text(), loose).not.toContain(href!);
		}
		expect((await page.request.get(`/cases/0${id}/agreement`, { maxRedirects: 0 })).status()).toBe(404);
		expect((await page.request.get('/sessions/0x1', { maxRedirects: 0 })).status()).toBe(404);
	});

	for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
		test(`?/${name} is no action: 404, no stack`, async ({ request, baseURL }) => {
			for (const path of ['/login', '/file']) {
				const answer = await request.post(`${path}?/${name}`, { form: { a: 'b' }, headers: { origin: baseURL! }, maxRedirects: 0 });
				expect(answer.status(), path).toBe(404);
				expect(await answer.text()).not.toMatch(/at .*\.js:\d+/);
			}
		});
	}

	test('an anonymous 50 MB post to /file is refused at once with a short 413', async ({ request, baseURL }) => {
		const huge = 'x'.repeat(50 * 1024 * 1024);
		const answer = await request.post('/file', { form: { name: '孙大伯', title: huge }, headers: { origin: baseURL! }, maxRedirects: 0 });
		expect(answer.status()).toBe(413);
		const body = await answer.body();
		expect(body.length).toBeLessThan(2048);
		expect(body.toString('utf8')).toContain('提交的内容太大');
	});
});
