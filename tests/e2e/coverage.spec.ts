import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, signIn, test, zh } from './fixtures';

/** The county strings (messages/county), so the test reads what an administrator reads. */
const ct: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/county/zh-CN.json'), 'utf8'));
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k]);

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test('an admin finds the one coverage gap on a phone and opens the prefilled form to fix it', async ({ page }, testInfo) => {
	await signIn(page, 'admin');
	await page.goto('/admin');
	await page.getByRole('link', { name: ct.ct_cov_title, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: ct.ct_cov_title })).toBeVisible();
	const gaps = page.locator('[data-gaps] li');
	await expect(gaps).toHaveCount(1);
	await expect(gaps).toContainText(fill(ct.ct_cov_gap_village, { township: '艾城镇', name: '王家村' }));
	await expect(page.locator('[data-village="张公渡村"]')).toContainText('法律明白人 𠮷祥');
	await expect(page.locator('[data-village="王家村"]')).toContainText(ct.ct_cov_none_villager);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	const path = testInfo.outputPath('coverage-360x740.png');
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach('coverage (zh-CN, 360×740)', { path, contentType: 'image/png' });

	await gaps.getByRole('link', { name: ct.ct_cov_fix_villager }).click();
	await page.waitForURL((url) => url.pathname === '/admin/people/new');
	await expect(page.locator('#placeId option:checked')).toContainText('王家村');
	await expect(page.getByRole('checkbox', { name: zh.role_legal_villager })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: zh.role_legal_advisor })).not.toBeChecked();
});

test('a township supervisor sees only their township and no fix links; village staff are refused', async ({ page }) => {
	await signIn(page, 'tubu.supervisor');
	await page.goto('/supervision');
	await page.getByRole('link', { name: ct.ct_cov_nav, exact: true }).click();
	await expect(page.getByRole('heading', { level: 2 })).toHaveText([ct.ct_cov_gaps_title, '涂埠镇']);
	await expect(page.getByText(ct.ct_cov_no_gaps)).toBeVisible();
	await expect(page.getByRole('link', { name: ct.ct_cov_fix_villager })).toHaveCount(0);
	await page.context().clearCookies();
	await signIn(page, 'villager');
	expect((await page.goto('/coverage'))?.status()).toBe(403);
});
