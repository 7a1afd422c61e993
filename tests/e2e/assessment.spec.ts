import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, signIn, test } from './fixtures';

/** The strings the pages show, so the test reads what supervisors read. */
const as: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/assessment/zh-CN.json'), 'utf8'));
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test('the circular on a phone: a township reads it, the county admin versions the weights, the county names good practice', async ({ page }, testInfo) => {
	const snap = async (name: string) => {
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const path = testInfo.outputPath(`${name}-360x740.png`);
		await page.screenshot({ path, fullPage: true });
		await testInfo.attach(`${name} (zh-CN, 360×740)`, { path, contentType: 'image/png' });
	};

	// The township supervisor opens last month's circular from the statistics page.
	await signIn(page, 'tubu.supervisor');
	await page.goto('/stats');
	await page.getByRole('link', { name: as.as_nav, exact: true }).click();
	await expect(page.locator('[data-weights-version]')).toHaveText(fill(as.as_weights_version, { version: 1 }));
	await expect(page.locator('[data-ranking="townships"] [data-unit]')).toHaveCount(3);
	await expect(page.locator('[data-ranking="departments"] [data-unit="县人力资源和社会保障局"]')).toBeVisible();
	await expect(page.locator('[data-practices]')).toContainText('推行“大家来评理”评理团进村');
	// Naming good practice is the county's: the township has no form.
	await expect(page.getByRole('button', { name: as.as_practice_add })).toHaveCount(0);
	await snap('circular-township');
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: as.as_pdf }).click();
	expect((await download).suggestedFilename()).toMatch(/^永修县.*考核通报\.pdf$/);

	// The county administrator saves new weights: version 2.
	await page.context().clearCookies();
	await signIn(page, 'admin');
	await page.goto('/admin');
	await page.getByRole('link', { name: as.as_weights_title, exact: true }).click();
	await page.getByLabel(as.as_m_beijing, { exact: true }).fill('30');
	await page.getByLabel(as.as_weights_note, { exact: true }).fill('进京权重提高到 30');
	await page.getByRole('button', { name: as.as_weights_save, exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(fill(as.as_weights_saved, { version: 2 }));
	await expect(page.locator('[data-weights-version]')).toHaveText(fill(as.as_weights_version, { version: 2 }));
	await snap('assessment-weights');

	// The county supervisor's circular now names version 2, and the county names good practice.
	await page.context().clearCookies();
	await signIn(page, 'county.supervisor');
	await page.goto('/supervision');
	await page.getByRole('link', { name: as.as_nav, exact: true }).click();
	await expect(page.locator('[data-weights-version]')).toHaveText(fill(as.as_weights_version, { version: 2 }));
	await page.getByLabel(as.as_practice_unit, { exact: true }).fill('虬津镇');
	await page.getByLabel(as.as_practice_text, { exact: true }).fill('𠮷田村法律明白人上门走访，化解宅基地纠纷 6 起。');
	await page.getByRole('button', { name: as.as_practice_add, exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(as.as_practice_added);
	await expect(page.locator('[data-practices]')).toContainText('𠮷田村法律明白人上门走访');
});
