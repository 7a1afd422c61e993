import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { expect, signIn, test } from './fixtures';

/** The strings the pages show, so the test reads what supervisors read. */
const mt: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/meetings/zh-CN.json'), 'utf8'));
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test('a township supervisor holds a meeting on a phone; the owner reports the decision done and the matter is cleared', async ({ page }, testInfo) => {
	const snap = async (name: string) => {
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const path = testInfo.outputPath(`${name}-360x740.png`);
		await page.screenshot({ path, fullPage: true });
		await testInfo.attach(`${name} (zh-CN, 360×740)`, { path, contentType: 'image/png' });
	};
	const today = shanghaiDate(new Date());

	// From the supervision page: the demo meeting's overdue decision is flagged next to the link.
	await signIn(page, 'tubu.supervisor');
	await page.goto('/supervision');
	await expect(page.getByText(fill(mt.mt_nav_overdue, { count: 1 }))).toBeVisible();
	await page.getByRole('link', { name: mt.mt_nav, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: mt.mt_title })).toBeVisible();
	await expect(page.locator('[data-overdue-actions]')).toContainText('约谈包工头许某');
	await expect(page.locator('[data-tracked="拖欠装修工人工资"]')).toBeVisible();
	await expect(page.locator('[data-proposal="养殖场异味扰民"]')).toContainText('超过办理期限');
	await snap('meetings-list');

	// Only the smelly farm goes to an on-site meeting. Without a department the form is refused and refilled.
	for (const box of await page.locator('[data-proposal] input[type="checkbox"]').all()) await box.uncheck();
	await page.locator('[data-proposal="养殖场异味扰民"] input').check();
	await page.getByLabel(mt.mt_kind, { exact: true }).selectOption({ label: mt.mt_kind_on_site });
	await page.getByLabel(mt.mt_held_at, { exact: true }).fill(`${today}T09:30`);
	await page.getByLabel(mt.mt_location, { exact: true }).fill('河东村养殖场现场');
	await page.getByLabel(mt.mt_attendees, { exact: true }).fill('陈立、周红梅、环保所 䶮工');
	await page.getByRole('button', { name: mt.mt_hold_submit, exact: true }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByText(mt.mt_err_departments, { exact: true })).toBeVisible();
	await expect(page.getByLabel(mt.mt_attendees, { exact: true })).toHaveValue('陈立、周红梅、环保所 䶮工');
	await page.getByRole('checkbox', { name: '县自然资源局' }).check();
	await page.getByRole('button', { name: mt.mt_hold_submit, exact: true }).click();
	await page.waitForURL(/\/supervision\/meetings\/\d+$/);
	await expect(page.getByRole('heading', { level: 1, name: fill(mt.mt_meeting_heading, { place: '涂埠镇', kind: mt.mt_kind_on_site }) })).toBeVisible();

	// A decision on the matter: department, person, time limit.
	const matter = page.locator('[data-matter="养殖场异味扰民"]');
	await matter.getByText(mt.mt_add_decision, { exact: true }).click();
	await matter.getByLabel(mt.mt_decision, { exact: true }).fill('督促养殖场安装除臭设备，一周内完成整改。');
	await matter.getByLabel(mt.mt_responsible_department, { exact: true }).selectOption({ label: '县自然资源局' });
	await matter.getByLabel(mt.mt_responsible_person, { exact: true }).selectOption({ label: '调解员 王秀英（涂埠镇）' });
	await matter.getByLabel(mt.mt_due_on, { exact: true }).fill(addDays(today, 7));
	await matter.getByRole('button', { name: mt.mt_add_decision_submit, exact: true }).click();
	await expect(matter.getByRole('status')).toHaveText(mt.mt_action_added);
	await expect(matter).toContainText('督促养殖场安装除臭设备');
	await snap('meeting-detail');

	// The minutes download as a PDF.
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: mt.mt_minutes_pdf }).click();
	expect((await download).suggestedFilename()).toMatch(/^现场会纪要-.*\.pdf$/);

	// The mediator finds both decisions on her home page, the overdue one first, and reports it done.
	await page.context().clearCookies();
	await signIn(page, 'mediator');
	await page.goto('/');
	await expect(page.getByRole('heading', { name: new RegExp(mt.mt_inbox_title) })).toBeVisible();
	await page.getByRole('link', { name: mt.mt_inbox_open }).click();
	const wages = page.locator('[data-action]').filter({ hasText: '拖欠装修工人工资' });
	await expect(wages).toContainText(mt.mt_overdue_tag);
	await snap('meeting-actions');
	await wages.getByLabel(mt.mt_done_note).fill('已约谈许某，约定月底前分两次付清。');
	await wages.getByRole('button', { name: mt.mt_done_submit }).click();
	await expect(page.getByRole('status')).toHaveText(mt.mt_action_done);
	await expect(page.locator('[data-action]').filter({ hasText: '拖欠装修工人工资' })).toHaveCount(0);

	// Both of its decisions done, the wages matter is cleared: it leaves the supervisor's list.
	await page.context().clearCookies();
	await signIn(page, 'tubu.supervisor');
	await page.goto('/supervision/meetings');
	await expect(page.locator('[data-tracked="养殖场异味扰民"]')).toBeVisible();
	await expect(page.locator('[data-tracked="拖欠装修工人工资"]')).toHaveCount(0);
	await expect(page.locator('[data-overdue-actions]')).toHaveCount(0);
});
