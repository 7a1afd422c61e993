/**
 * Issue 18 §1 on a phone in Chinese: the mediator invites the demo panelist onto a newly filed case's
 * panel; the panelist signs in, sees the count in the header and the invitation on his home page,
 * declares "no conflict" in two taps there, and reaches the case from his own list, typing no URL.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { fileCaseAs } from './file-case';
import { expect, signIn, test } from './fixtures';

/** Every Chinese UI string by key, from the main file and each area's. */
const zh: Record<string, string> = Object.assign(
	{},
	...['', 'cases/', 'casework/', 'panels/', 'notices/'].map((area) => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}zh-CN.json`), 'utf8')))
);
const nt = zh;
const pn = zh;
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };

async function phoneAs(browser: Browser, baseURL: string, username: string): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...PHONE });
	const page = await context.newPage();
	await signIn(page, username);
	await expect(page).toHaveURL('/');
	return page;
}

/** Keeps a full-page screenshot and checks nothing forces sideways scrolling on a 360 px screen. */
async function look(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits 360 px`).toBeLessThanOrEqual(360);
	const path = testInfo.outputPath(`${name}-360x740.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(`${name} (360×740)`, { path, contentType: 'image/png' });
}

test('an invited panelist is told in the app, declares from the notice in two taps and reaches the case from his list', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(120_000);
	const title = `屋后排水沟堵塞纠纷 ${Date.now() % 100_000}`;

	// The mediator files a new matter in 城南村 and invites the demo panelist onto its panel.
	const mediator = await phoneAs(browser, baseURL!, 'mediator');
	await mediator.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: zh.nav_new_case, exact: true }).click();
	await expect(mediator).toHaveURL('/cases/new');
	const casePath = await fileCaseAs(mediator, {
		alreadyOnForm: true,
		place: '城南村',
		title,
		description: '邻居堆放的柴草堵塞排水沟，雨天积水倒灌。',
		applicant: { name: '孙秀兰', phone: '13907921234' },
		respondent: { name: '李德福' }
	});
	await mediator.goto(`${casePath}/panel`);
	await mediator.getByRole('radio', { name: /黄福生/ }).check();
	await mediator.getByLabel(pn.pn_consent, { exact: true }).fill('双方当事人当面口头同意');
	await mediator.getByRole('button', { name: pn.pn_invite_submit, exact: true }).click();
	await expect(mediator.getByText(pn.pn_invited_done)).toBeVisible();

	// The panelist signs in: the header counts his unread notices on every page.
	const panelist = await phoneAs(browser, baseURL!, 'panelist');
	// Its name is its own words (通知 and the count shown, "，… 条未读" for screen readers only): label in name.
	const inbox = panelist.getByRole('banner').getByRole('link', { name: /^通知\s*，\s*\d+\s*条未读$/ });
	await expect(inbox).toBeVisible();
	// The invitation is on his home page, with what it awaits from him.
	const notice = panelist.locator('#notices li').filter({ hasText: '受邀参加' }).filter({ has: panelist.locator(`input[name="caseId"][value="${casePath.split('/').pop()}"]`) });
	await expect(notice).toBeVisible();
	await expect(panelist.getByRole('region', { name: nt.nt_my_panels }).getByRole('link', { name: new RegExp(title) })).toBeVisible();
	await look(panelist, testInfo, 'panelist-home-invited');

	// Two taps: tick the declaration, submit.
	await notice.getByLabel(nt.nt_declare_confirm).check();
	await notice.getByRole('button', { name: nt.nt_declare_submit, exact: true }).click();
	await expect(panelist.getByRole('status').filter({ hasText: nt.nt_declared_done })).toBeVisible();
	await look(panelist, testInfo, 'panelist-home-declared');

	// His own list, from the navigation: "我的案件" holds the case; the case page says what he can do.
	await panelist.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: nt.nt_nav_my_cases, exact: true }).click();
	await expect(panelist).toHaveURL('/cases');
	await panelist.getByRole('link', { name: new RegExp(title) }).click();
	await expect(panelist).toHaveURL(casePath);
	await expect(panelist.getByRole('heading', { name: nt.nt_case_panel_title })).toBeVisible();
	await expect(panelist.getByRole('link', { name: nt.nt_case_opinions })).toBeVisible();
	await expect(panelist.getByText('您目前没有可以进行的操作。')).toHaveCount(0);
	await look(panelist, testInfo, 'panelist-case');
	await panelist.context().close();
	await mediator.context().close();
});
