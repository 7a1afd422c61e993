/**
 * Acceptance (issue 3): "An agent files for a villager in an e2e test; the case is routed to the
 * village, escalated to the township, seen overdue by the supervisor, pushed with a supervision order,
 * and followed by the villager on the public page with number + code." Every step through the pages,
 * on a phone-sized screen (390×844), each screen kept as a screenshot and checked for sideways scroll.
 *
 * Lateness is real, not faked: the statutory clocks run from the case's own dates, and nothing in the
 * app can move them (there is no test clock in the server). So the test runs a server of its own,
 * stops it once the matter has been routed and escalated, lets 70 days pass for that one case in the
 * database (tests/support/age-case.ts moves every date of the case and its timeline back and stores
 * the due dates the app's clocks compute from them), and starts the server again on the same data.
 * 70 days after acceptance the 60-day conclusion period of 信访工作条例 art. 34 has run out.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { openDatabase } from '../../src/lib/server/db/client';
import { ageCase } from '../support/age-case';
import { createAppDatabase, type AppDatabase } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';
import { fileCaseAs } from './file-case';
import { DEMO_ACCOUNTS, expect, signIn, test } from './fixtures';

/** The Chinese UI strings of every message area, by key. */
const zh: Record<string, string> = Object.assign(
	{},
	...['', 'casework/', 'supervision/', 'public/'].map((area) =>
		JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}zh-CN.json`), 'utf8'))
	)
);
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const nameOf = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.name;
const AGED_DAYS = 70;

/** The villager the agent files for, and the neighbour the dispute is with. */
const APPLICANT = { name: '孙秀兰', phone: '13907921234', idNumber: '11010519491231002X', address: '城南村五组 8 号' };
const RESPONDENT = { name: '李德福', phone: '13907925678' };
const TITLE = '屋后排水沟堵塞纠纷';
const STAFF_NOTE = '内部备注：先由村里调解';

let contexts: BrowserContext[] = [];
async function phoneAs(browser: Browser, baseURL: string, username: string): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...PHONE });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, username);
	await expect(page).toHaveURL('/');
	return page;
}

/** Keeps a screenshot of the phone screen and checks nothing forces sideways scrolling. */
async function look(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits 390 px`).toBeLessThanOrEqual(390);
	const path = testInfo.outputPath(`${name}-390x844.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(`${name} (390×844)`, { path, contentType: 'image/png' });
}

/** Opens one action of the case page and runs it with the given fields filled. */
async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
	await page.locator('summary').getByText(action, { exact: true }).click();
	const form = page.locator('details[open] form');
	await fill(form);
	await form.getByRole('button', { name: `${zh.cw_confirm}：${action}` }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.cw_done.replace('{step}', action) })).toBeVisible();
}

test('an agent files for a villager; routed, escalated, overdue, supervised and followed with number + code', async ({ browser, databaseKind }, testInfo) => {
	// Two server starts (the first a cold one that migrates and seeds) and five people on a shared machine.
	test.setTimeout(480_000);
	const database: AppDatabase = await createAppDatabase(databaseKind, { label: 'loop', adminUrl: process.env.E2E_DATABASE_URL });
	const running: AppProcess[] = [];
	const launch = () => {
		const app = spawnApp(database.env);
		running.push(app);
		return app.ready;
	};
	try {
		let url = await launch();

		// 接: the agent files for the villager through /cases/new, reached from the navigation. The
		// letter came in three days ago, so it is registered on that day (a received date in the past).
		const agent = await phoneAs(browser, url, 'agent');
		await agent.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: zh.nav_new_case, exact: true }).click();
		await expect(agent).toHaveURL('/cases/new');
		await expect(agent.getByRole('heading', { level: 1, name: zh.cw_new_title })).toBeVisible();
		// The agent's filings are always 代办 and arise in the agent's own village, offered first.
		await expect(agent.getByLabel(`${zh.cw_place} *`)).toHaveValue(/\d+/);
		await expect(agent.getByLabel(`${zh.cw_place} *`).locator('option:checked')).toHaveText(/城南村/);
		const received = addDays(shanghaiDate(new Date()), -3);
		await fileCaseAs(agent, {
			alreadyOnForm: true,
			title: TITLE,
			description: '孙秀兰家屋后的排水沟被邻居李德福家堆放的柴草堵塞，雨天积水倒灌。',
			received,
			applicant: APPLICANT,
			respondent: RESPONDENT,
			beforeSubmit: (page) => look(page, testInfo, '1-agent-files')
		});

		// The receipt the agent hands to the villager: the number and the query code, shown this once.
		const receipt = agent.getByRole('status').filter({ hasText: zh.cw_code_title });
		await expect(receipt).toBeVisible();
		const [number, code] = await receipt.locator('strong.code').allTextContents();
		expect(number).toMatch(/^\d{4}-\d{6}$/);
		expect(code).toMatch(/^[A-Z2-9]{8}$/);
		await expect(agent.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
		await look(agent, testInfo, '2-agent-receipt');
		const casePath = new URL(agent.url()).pathname;
		// Shown once only: the agent's next visit has no code on it.
		await agent.reload();
		await expect(agent.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
		await expect(agent.getByText(code)).toHaveCount(0);

		// 转: the township supervisor accepts it and routes it to 城南村 with the township's mediator.
		const township = await phoneAs(browser, url, 'tubu.supervisor');
		await township.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: zh.nav_cases, exact: true }).click();
		await expect(township).toHaveURL('/cases');
		await township.getByRole('link', { name: new RegExp(TITLE) }).click();
		await expect(township).toHaveURL(casePath);
		await act(township, zh.cw_kind_accept, async () => {});
		await act(township, zh.cw_kind_assign, async (form) => {
			await form.getByLabel(zh.cw_f_place).selectOption({ label: '城南村' });
			await form.getByLabel(zh.cw_f_mediator).selectOption({ label: `${nameOf('mediator')}（涂埠镇）` });
			await form.getByLabel(zh.cw_f_note).fill(STAFF_NOTE);
		});
		await expect(township.locator('dd', { hasText: '城南村' }).first()).toBeVisible();
		await look(township, testInfo, '3-township-routes-to-village');

		// The village cannot settle it (the drain crosses two groups' land): up to the township.
		await act(township, zh.cw_kind_escalate, async (form) => {
			await form.getByLabel(zh.cw_f_reason).fill('涉及两个村民小组的排水，村里调解不成');
		});
		await expect(township.locator('dd').filter({ hasText: /^永修县 › 涂埠镇$/ })).toBeVisible();
		await look(township, testInfo, '4-township-after-escalation');

		// 70 days pass for this matter (see the header): stop, age the case, start again on the same data.
		expect(await running[0].stop('SIGTERM')).toBe(0);
		const opened = await openDatabase({ url: database.env.DATABASE_URL || undefined, dataDir: database.env.DATA_DIR ?? '' });
		try {
			await ageCase(opened.db, number, AGED_DAYS);
		} finally {
			await opened.close();
		}
		url = await launch();

		// 督办: the county supervisor sees it among the overdue matters and pushes the township.
		const county = await phoneAs(browser, url, 'supervisor');
		await county.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: zh.nav_supervision, exact: true }).click();
		await expect(county).toHaveURL('/supervision');
		await county.getByRole('link', { name: new RegExp(zh.sv_tab_overdue) }).click();
		const item = county.locator('li.card').filter({ hasText: number });
		await expect(item).toBeVisible();
		await expect(item.getByText(zh.sv_due_overdue, { exact: true })).toBeVisible();
		await expect(item).toContainText('涂埠镇');
		await look(county, testInfo, '5-supervisor-overdue-list');
		await item.getByRole('link', { name: zh.sv_issue_link }).click();
		await expect(county.getByRole('heading', { level: 1 })).toBeVisible();
		// The owner: the township supervisor, who holds the matter now (options read "name（place · role）").
		const ownerSelect = county.getByLabel(zh.sv_owner_label);
		await ownerSelect.selectOption((await ownerSelect.locator('option', { hasText: nameOf('tubu.supervisor') }).getAttribute('value'))!);
		await county.getByLabel(zh.sv_due_label).fill(addDays(shanghaiDate(new Date()), 7));
		await county.getByLabel(zh.sv_note_label).fill('已超过法定办结期限，请一周内调处并反馈。');
		await look(county, testInfo, '6-supervisor-issues-order');
		await county.getByRole('button', { name: zh.sv_issue_submit }).click();
		await expect(county).toHaveURL(/\/supervision\/orders\/\d+\?done=issued$/);
		await expect(county.getByText(zh.sv_issued_notice)).toBeVisible();

		// The order waits on the owner's home page.
		const owner = await phoneAs(browser, url, 'tubu.supervisor');
		const inbox = owner.getByRole('region', { name: new RegExp(zh.sv_inbox_title) });
		await expect(inbox).toBeVisible();
		await expect(inbox.getByRole('link', { name: new RegExp(`${number}.*${TITLE}`) })).toBeVisible();
		await look(owner, testInfo, '7-owner-home-with-order');

		// 评/查: the villager follows it on the public page with the number and the code the agent gave.
		const villagerContext = await browser.newContext({ baseURL: url, ...PHONE });
		contexts.push(villagerContext);
		const villager = await villagerContext.newPage();
		await villager.goto('/track');
		await villager.getByLabel(zh.public_track_number, { exact: true }).fill(number);
		await villager.getByLabel(zh.public_track_code, { exact: true }).fill(code);
		await villager.getByRole('button', { name: zh.public_track_submit, exact: true }).click();
		await expect(villager.getByText(number, { exact: true })).toBeVisible();
		await expect(villager.getByRole('status')).toContainText(zh.public_status_accepted);
		await expect(villager.getByText('涂埠镇', { exact: false }).first()).toBeVisible();
		const timeline = villager.getByRole('list').filter({ has: villager.locator('time') });
		await expect(timeline).toContainText(zh.public_event_escalate);
		// Masked personal data, and no staff-only notes or reasons.
		await expect(villager.getByText(APPLICANT.phone)).toHaveCount(0);
		await expect(villager.getByText(STAFF_NOTE)).toHaveCount(0);
		await expect(villager.getByText('村里调解不成')).toHaveCount(0);
		await look(villager, testInfo, '8-villager-tracks');
	} finally {
		await Promise.all(contexts.map((c) => c.close()));
		contexts = [];
		for (const app of running) await app.stop('SIGKILL');
		await database.dispose();
	}
});
