import { DEMO_ACCOUNTS, expect, signIn, test } from './fixtures';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** Mobile first: village staff use phones. Screenshots are kept as artifacts of every run. */
test('login and home fit a phone screen', async ({ page }, testInfo) => {
	const snap = async (name: string) => {
		// Nothing may force sideways scrolling at phone width.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		const path = testInfo.outputPath(`${name}-390x844.png`);
		await page.screenshot({ path, fullPage: true });
		await testInfo.attach(`${name} (390×844)`, { path, contentType: 'image/png' });
	};

	await page.goto('/login');
	await expect(page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
	await snap('login');

	const villager = DEMO_ACCOUNTS.find((a) => a.username === 'villager')!;
	await signIn(page, villager.username);
	await expect(page).toHaveURL('/');
	await expect(page.getByRole('heading', { level: 1, name: villager.name })).toBeVisible();
	await snap('home');
});
