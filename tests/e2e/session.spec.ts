import { expect, SESSION_COOKIE, sessionCookie, signIn, test } from './fixtures';

/** A cookie is judged in a fresh browser that carries nothing else, so only the cookie can sign it in. */
test.describe('the session cookie', () => {
	test('logout ends the session on the server: the old cookie no longer signs anyone in', async ({ page, pageWithCookie }) => {
		await signIn(page, 'supervisor');
		await expect(page).toHaveURL('/');
		const cookie = await sessionCookie(page.context());
		expect(cookie.httpOnly).toBe(true);
		expect(cookie.sameSite).toBe('Lax');

		// Before logout the same cookie works elsewhere, so the check after logout means something.
		const before = await pageWithCookie(cookie);
		await before.goto('/');
		await expect(before).toHaveURL('/');

		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page).toHaveURL(/\/login\?signed-out/);
		await expect(page.getByRole('status')).toHaveText('您已退出登录。');

		const after = await pageWithCookie(cookie);
		await after.goto('/');
		await expect(after).toHaveURL(/\/login/);
		await expect(after.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
	});

	test('a cookie with one character of its secret changed is treated as signed out', async ({ page, pageWithCookie }) => {
		await signIn(page, 'mediator');
		await expect(page).toHaveURL('/');
		const cookie = await sessionCookie(page.context());
		const [id, secret] = cookie.value.split('.');
		const last = secret.at(-1) === 'a' ? 'b' : 'a';
		const tampered = `${id}.${secret.slice(0, -1)}${last}`;

		const forged = await pageWithCookie({ ...cookie, value: tampered });
		await forged.goto('/');
		await expect(forged).toHaveURL(/\/login/);

		// The untouched cookie still works: the one changed character was the only difference.
		const genuine = await pageWithCookie(cookie);
		await genuine.goto('/');
		await expect(genuine).toHaveURL('/');
	});

	for (const [what, value] of [
		['garbage', 'garbage'],
		['well-formed but unknown', `${'a'.repeat(24)}.${'b'.repeat(24)}`]
	]) {
		test(`a ${what} cookie is treated as signed out`, async ({ pageWithCookie, baseURL }) => {
			const visitor = await pageWithCookie({ name: SESSION_COOKIE, value, url: baseURL! });
			await visitor.goto('/');
			await expect(visitor).toHaveURL(/\/login/);
			await expect(visitor.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
		});
	}
});
