import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startCityApp } from './city-app';
import { expect, signIn, test as base } from './fixtures';

/** The strings a supervisor reads (messages/stats, messages/city, messages/caselist). */
const area = (name: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${name}/zh-CN.json`), 'utf8'));
const s = area('stats');
const c = area('city');
const caselist = area('caselist');

/** The app with a city (tests/e2e/city-app.ts), one per worker. */
const test = base.extend<object, { cityUrl: string }>({
	cityUrl: [
		async ({ databaseKind }, use) => {
			const { url, stop } = await startCityApp(databaseKind);
			await use(url);
			await stop();
		},
		{ scope: 'worker', timeout: 300_000 }
	]
});

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });

test('a city supervisor drills down from the city to a village and opens its matters on a phone', async ({ page, cityUrl }) => {
	await page.goto(`${cityUrl}/login`);
	await signIn(page, 'city.supervisor');
	await page.getByRole('link', { name: s.stats_nav, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: s.stats_title })).toBeVisible();
	// The city's figures are split by county.
	const byPlace = page.locator('[data-breakdown="place"]');
	await byPlace.scrollIntoViewIfNeeded();
	await expect(byPlace.locator('tbody th')).toHaveCount(2);
	await expect(byPlace.locator('tbody')).toContainText('永修县');
	const drill = (name: string) => byPlace.getByRole('link', { name: new RegExp(`^${c.city_drill}\\s*${c.city_drill_of.replace('{name}', name).replace(/[()]/g, '\\$&')}$`) });
	// City → county: 武宁县's own dashboard, split by township.
	await drill('武宁县').click();
	await page.waitForURL((url) => url.pathname === '/stats' && url.searchParams.has('place'));
	await expect(page.locator('[data-figure="total"] .big')).toHaveText('3');
	await expect(byPlace.locator('tbody th')).toHaveCount(1);
	// County → township, split by village.
	await drill('鲁溪镇').click();
	await expect(byPlace.locator('tbody th')).toHaveCount(2);
	await expect(byPlace.locator('tbody')).toContainText('洞口村');
	// Village → its matters.
	await byPlace.getByRole('link', { name: '大桥村', exact: true }).click();
	await page.waitForURL((url) => url.pathname === '/cases' && url.searchParams.has('place'));
	await expect(page.getByRole('heading', { level: 1, name: caselist.caselist_title })).toBeVisible();
	const matter = (title: string) => page.getByRole('link').filter({ hasText: title });
	await expect(matter('大桥村宅基地边界纠纷')).toBeVisible();
	await expect(matter('大桥村灌溉水渠堵塞')).toBeVisible();
	await expect(matter('洞口村土地流转租金拖欠')).toHaveCount(0);
	// Nothing spills sideways on the phone.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
