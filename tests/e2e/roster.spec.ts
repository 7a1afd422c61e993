import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHINA_CALENDAR } from '../../src/lib/server/cases/holidays';
import { sittingAt } from '../../src/lib/server/roster/rules';
import { monthDays, shiftMonth } from '../../src/lib/utils/roster-calendar';
import { fileCaseAs } from './file-case';
import { expect, signIn, test } from './fixtures';

/** The strings the page shows, by area, so the test reads what county staff read. */
const area = (name: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${name}/zh-CN.json`), 'utf8'));
const ct = area('county');
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k]);
const dayLabel = (d: string) => fill(ct.ct_roster_day, { month: String(Number(d.slice(5, 7))), day: String(Number(d.slice(8, 10))) });

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

const TITLE = '来访：工地拖欠工资（联合接访）';

test('the roster on a phone: the gap warning, an admin puts a department on duty, a walk-in goes to it in one tap', async ({ page }, testInfo) => {
	const snap = async (name: string) => {
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const path = testInfo.outputPath(`${name}-360x740.png`);
		await page.screenshot({ path, fullPage: true });
		await testInfo.attach(`${name} (zh-CN, 360×740)`, { path, contentType: 'image/png' });
	};
	const now = sittingAt(new Date());
	const next = shiftMonth(now.date.slice(0, 7), 1);
	const gapDay = monthDays(next).find((d) => CHINA_CALENDAR.isWorkingDay(d))!;

	// A county administrator opens the roster from the admin page; next month has the one gap day.
	await signIn(page, 'admin');
	await page.goto('/admin');
	await page.getByRole('link', { name: ct.ct_roster_title, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: ct.ct_roster_title })).toBeVisible();
	await page.getByRole('link', { name: ct.ct_roster_next }).click();
	await page.waitForURL((url) => url.searchParams.get('month') === next);
	const gaps = page.locator('[data-gaps] li');
	await expect(gaps).toHaveText([`${dayLabel(gapDay)} ${ct.ct_roster_am}`, `${dayLabel(gapDay)} ${ct.ct_roster_pm}`]);
	await expect(page.getByRole('link', { name: dayLabel(gapDay), exact: true })).toBeVisible();
	await snap('roster-next-month');

	// The admin puts 县自然资源局 (not in the demo rota) on duty for the sitting now.
	await page.getByLabel(ct.ct_roster_department, { exact: true }).selectOption({ label: '县自然资源局' });
	await page.getByLabel(ct.ct_roster_date, { exact: true }).fill(now.date);
	await page.getByLabel(ct.ct_roster_half, { exact: true }).selectOption(now.halfDay);
	await page.getByLabel(ct.ct_roster_staff, { exact: true }).fill('值班员 𠮷明');
	await page.getByRole('button', { name: ct.ct_roster_add, exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: ct.ct_roster_added })).toBeVisible();
	await expect(page.locator('[data-on-duty]')).toContainText('县自然资源局：值班员 𠮷明');
	// The same sitting twice is refused with a message, and the form keeps what was typed.
	await page.getByRole('button', { name: ct.ct_roster_add, exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText(ct.ct_err_roster_taken);
	await expect(page.getByLabel(ct.ct_roster_staff, { exact: true })).toHaveValue('值班员 𠮷明');

	// The county's matter centre files a walk-in and routes it to the department on duty.
	await page.context().clearCookies();
	await signIn(page, 'county.supervisor');
	await fileCaseAs(page, {
		channel: '来访',
		place: '王家村',
		category: { index: 1 },
		title: TITLE,
		description: '来访人称工地拖欠三个月工资，要求协调。',
		applicant: { name: '𡈼大姐' }
	});

	await page.goto('/supervision');
	await page.getByRole('link', { name: ct.ct_roster_nav, exact: true }).click();
	const walkIn = page.locator(`[data-walk-in="${TITLE}"]`);
	await expect(walkIn).toBeVisible();
	await snap('roster-intake');
	await walkIn.getByRole('button', { name: fill(ct.ct_roster_route_to, { department: '县自然资源局' }) }).click();
	await expect(page.getByRole('status').filter({ hasText: ct.ct_roster_routed })).toBeVisible();
	await expect(walkIn).toHaveCount(0);
});
