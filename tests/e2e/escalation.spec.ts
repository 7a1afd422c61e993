/**
 * Issue 13 on a 360×740 phone in Chinese: a county supervisor records that a matter went to the
 * province (赴省) on its case page — refused first without a note, the form refilled — and sees it on
 * the page and in the case history; the statistics page shows the studios side by side for the period.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileCaseAs } from './file-case';
import { expect, signIn, test } from './fixtures';

const area = (name: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${name}/zh-CN.json`), 'utf8'));
const cy = area('county2');
const sd = { ...area('studios'), ...area('studio-pages') };

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test('a county supervisor records 赴省 on a matter, and reads the studios in the statistics', async ({ page }, testInfo) => {
	const title = `土地承包纠纷：越级 ${Date.now().toString(36)}`;
	await signIn(page, 'county.supervisor');
	const casePath = await fileCaseAs(page, { channel: '来访', place: '虬津村', title, description: '承包地边界争议，当事人已赴省反映。', applicant: { name: '𡈼秀兰' } });
	await page.goto(casePath);

	const section = page.locator('[data-escalation]');
	await expect(section.getByRole('heading', { name: cy.cy_escalation_heading })).toBeVisible();
	await expect(section.locator('[data-escalation-now]')).toContainText(cy.cy_escalation_none);
	await section.locator('summary').filter({ hasText: cy.cy_escalation_record }).click();
	await section.getByLabel(cy.cy_escalation_level).selectOption({ label: cy.cy_level_province });
	// The note is required: the browser's own check is taken away so the server's answer is seen.
	await section.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
	await section.getByRole('button', { name: cy.cy_escalation_submit }).click();
	await expect(section.locator('.field-error')).toBeVisible();
	await expect(section.getByLabel(cy.cy_escalation_level)).toHaveValue('province');

	await section.getByLabel(cy.cy_escalation_note).fill('当事人十一月赴省信访局反映，已电话联系。');
	await section.getByRole('button', { name: cy.cy_escalation_submit }).click();
	await expect(section.getByRole('status')).toHaveText(cy.cy_escalation_done);
	await expect(section.locator('[data-escalation-now]')).toContainText(cy.cy_level_province);
	await expect(page.locator('main')).toContainText('当事人十一月赴省信访局反映');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await page.screenshot({ path: testInfo.outputPath('escalation-360x740.png'), fullPage: true });

	await page.goto('/stats');
	const studios = page.locator('[data-breakdown="studios"]');
	await expect(studios.getByRole('heading', { name: sd.sd_by_studio })).toBeVisible();
	for (const name of ['徐云峰矛盾纠纷调解工作室', '王新望矛盾纠纷调解工作室']) await expect(studios.locator(`[data-studio-row="${name}"]`)).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
