import { expect, signIn, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The statistics strings (messages/stats), so the test reads what a supervisor reads. */
const area = (name: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${name}/zh-CN.json`), 'utf8'));
const s = area('stats');
const caselist = area('caselist');

test.use({ viewport: { width: 390, height: 844 } });

test('a county supervisor reads the dashboard on a phone and a bar opens the matching cases', async ({ page }) => {
	await signIn(page, 'county.supervisor');
	await page.getByRole('link', { name: s.stats_nav, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: s.stats_title })).toBeVisible();
	await expect(page.locator('[data-figure="total"] .big')).toHaveText(/^\d+$/);
	// The chart is drawn (SVG bars, on the server) and its figures are also a table, with a link per row.
	const categories = page.locator('[data-breakdown="category"]');
	const firstBar = categories.locator('[data-chart] svg rect[data-bar]').first();
	await expect(firstBar).toBeVisible();
	const firstCategory = (await categories.locator('tbody th a').first().textContent())!.trim();
	await firstBar.click();
	await page.waitForURL((url) => url.pathname === '/cases' && url.searchParams.has('category') && url.searchParams.has('from'));
	await expect(page.getByRole('heading', { level: 1, name: caselist.caselist_title })).toBeVisible();
	await expect(page.locator('#category option:checked')).toHaveText(firstCategory);
});

test('the monthly report renders in Chinese with its charts and tables', async ({ page }, testInfo) => {
	await signIn(page, 'county.supervisor');
	await page.goto('/stats/report');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('矛盾纠纷和信访工作分析报告');
	await expect(page.getByRole('heading', { level: 2, name: s.stats_report_headline })).toBeVisible();
	await expect(page.locator('.report table').first()).toContainText(s.stats_total);
	await expect(page.locator('.report [data-chart] svg').first()).toBeVisible();
	// The audit chain's head, in small print at the end, for `audit:verify --head`.
	await expect(page.locator('.report .chain-head')).toHaveText(/^\s*审计链 第 \d+ 条 [0-9a-f]{64}\s*$/);
	const path = testInfo.outputPath('monthly-report-zh.png');
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach('monthly report (zh-CN, 390×844)', { path, contentType: 'image/png' });
});

test('village staff get no statistics', async ({ page }) => {
	await signIn(page, 'villager');
	const response = await page.goto('/stats');
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('link', { name: s.stats_nav, exact: true })).toHaveCount(0);
});

test('a text search shows its rows at once and its count when counted', async ({ page }) => {
	await signIn(page, 'county.supervisor');
	await page.goto('/cases');
	await page.getByLabel(caselist.caselist_search_label, { exact: true }).fill('纠纷');
	await page.getByLabel(caselist.caselist_search_label, { exact: true }).press('Enter');
	await page.waitForURL((url) => url.searchParams.get('q') === '纠纷');
	const total = page.getByTestId('caselist-total');
	await expect(total).toHaveText(/^共 [\d,]+ 件$/);
	const shown = Number((await total.textContent())!.replace(/\D/g, ''));
	expect(shown).toBeGreaterThan(0);
	// A page past the rows has nothing to count them by: the count is its own statement, streamed after the
	// page, and arrives in place of "正在计数…" (the server's answer, loaded fresh, not a client navigation).
	await page.goto(`/cases?q=${encodeURIComponent('纠纷')}&page=9`);
	await expect(page.getByText(caselist.caselist_empty)).toBeVisible();
	await expect(total).toHaveText(`共 ${shown.toLocaleString('zh-CN')} 件`);
});
