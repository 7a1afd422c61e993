import { en, expect, languageSwitch, signIn, test, zh } from './fixtures';

test('switching to English is remembered across reloads and pages, and switching back works', async ({ page, context }) => {
	await page.goto('/login');
	await languageSwitch(page, 'English').click();
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	const another = await context.newPage();
	await another.goto('/login');
	await expect(another.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
	await another.close();

	// The home page after an English sign-in is English too.
	await signIn(page, 'mediator', undefined, en);
	await expect(page).toHaveURL('/');
	await expect(page.getByRole('heading', { name: en.home_next })).toBeVisible();
	await expect(page.locator('[data-role="mediator"]')).toHaveText(en.role_mediator);
	await expect(page.getByRole('button', { name: en.nav_logout })).toBeVisible();

	await languageSwitch(page, '中文').click();
	await expect(page).toHaveURL('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { name: zh.home_next })).toBeVisible();
	await expect(page.locator('[data-role="mediator"]')).toHaveText(zh.role_mediator);
	await page.reload();
	await expect(page.getByRole('heading', { name: zh.home_next })).toBeVisible();
});
