import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { fileCaseAs } from './file-case';
import { expect, signIn, test } from './fixtures';

/** The strings the pages show, by area, so the test reads what supervisors and mediators read. */
const area = (name: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${name}/zh-CN.json`), 'utf8'));
const sd = area('studios');
const pn = area('panels');
const cl = area('caselist');

const COUNTY_STUDIO = '徐云峰矛盾纠纷调解工作室';
const TOWNSHIP_STUDIO = '王新望矛盾纠纷调解工作室';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

/** Nothing scrolls sideways at 360 px; a full-page screenshot is attached for reading. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	const path = testInfo.outputPath(`${name}-360x740.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(`${name} (zh-CN, 360×740)`, { path, contentType: 'image/png' });
}

test('a supervisor gives a fresh matter to the county studio; its member mediates it, another mediator is refused', async ({ page, browser, baseURL }, testInfo) => {
	// A matter of its own, filed at a 虬津镇 village, so no other spec's case changes hands and
	// 涂埠镇's mediator has no place-based access to it.
	const subject = `宅基地界址纠纷 ${Date.now().toString(36)}`;
	const title = `工作室交办：${subject}`;
	await signIn(page, 'county.supervisor');
	const casePath = await fileCaseAs(page, {
		channel: '来访',
		place: '虬津村',
		title,
		description: '两户因宅基地界址多年争执，村里调解未成，申请交给工作室调解。',
		applicant: { name: '𠮷大山' }
	});
	const number = (await page.locator('.number').first().textContent())!.trim();
	expect(number).toMatch(/^\d{4}-\d{6}$/);

	// The supervisor opens the studios from the supervision page: both demo studios and the comparison.
	await page.goto('/supervision');
	await page.getByRole('link', { name: sd.sd_nav, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: sd.sd_title })).toBeVisible();
	for (const name of [COUNTY_STUDIO, TOWNSHIP_STUDIO]) {
		await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
		await expect(page.locator(`[data-studio-row="${name}"]`)).toBeVisible();
	}
	await expect(page.getByRole('heading', { level: 2, name: sd.sd_compare })).toBeVisible();
	await snap(page, testInfo, 'studios');

	// It opens the county studio and gives the matter to it by its number.
	await page.getByRole('heading', { level: 2, name: COUNTY_STUDIO }).getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1, name: COUNTY_STUDIO })).toBeVisible();
	await page.getByLabel(sd.sd_case_ref, { exact: true }).fill(number);
	await page.getByRole('button', { name: sd.sd_assign, exact: true }).first().click();
	await expect(page.getByRole('status').filter({ hasText: sd.sd_assigned_done })).toBeVisible();
	await expect(page.locator(`[data-studio-case="${number}"]`)).toContainText(title);
	await snap(page, testInfo, 'studio');
	// The same matter twice is refused with a message, and the number stays in the field.
	await page.getByLabel(sd.sd_case_ref, { exact: true }).fill(number);
	await page.getByRole('button', { name: sd.sd_assign, exact: true }).first().click();
	await expect(page.getByRole('alert')).toHaveText(sd.sd_err_already);
	await expect(page.getByLabel(sd.sd_case_ref, { exact: true })).toHaveValue(number);

	// 徐云峰, the studio's lead, finds the matter in his case list and on his studio's page. (He searches
	// for the words after the colon: the list folds a typed "：" to ":" and then misses the title.)
	const xu = await (await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage();
	await signIn(xu, 'xu.mediator');
	await expect(xu).toHaveURL('/');
	await xu.goto('/cases');
	await xu.getByLabel(cl.caselist_search_label, { exact: true }).fill(subject);
	await xu.getByLabel(cl.caselist_search_label, { exact: true }).press('Enter');
	await xu.getByRole('link', { name: title }).click();
	await expect(xu).toHaveURL(casePath);
	await xu.goto('/studios');
	await xu.getByRole('heading', { level: 2, name: COUNTY_STUDIO }).getByRole('link').click();
	await xu.locator(`[data-studio-case="${number}"]`).getByRole('link').click();
	await expect(xu).toHaveURL(casePath);
	// A member sees the studio, not the supervisor's assigning form.
	await xu.goBack();
	await expect(xu.getByRole('heading', { level: 1, name: COUNTY_STUDIO })).toBeVisible();
	await expect(xu.getByRole('heading', { level: 2, name: sd.sd_assign_title })).toHaveCount(0);
	await xu.goForward();
	await expect(xu).toHaveURL(casePath);

	// As its mediator he forms the panel: the panel page offers him the invitation form.
	await xu.getByRole('link', { name: pn.pn_title, exact: true }).click();
	await expect(xu.getByRole('heading', { level: 1, name: pn.pn_title })).toBeVisible();
	await expect(xu.getByRole('heading', { level: 2, name: pn.pn_invite_title })).toBeVisible();
	await xu.context().close();

	// 王新望 is a mediator but not a member, and 虬津镇 is not his place: the matter is not there for him.
	const wang = await (await browser.newContext({ baseURL })).newPage();
	await signIn(wang, 'wang.mediator');
	await expect(wang).toHaveURL('/');
	for (const path of [`${casePath}/panel`, casePath]) {
		const response = await wang.goto(path);
		expect([403, 404]).toContain(response!.status());
	}
	await wang.context().close();
});
