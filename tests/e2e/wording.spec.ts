/**
 * Issue 18 §5 on a 360x740 phone in Chinese: a case filed by the agent and routed to the mediator;
 * the mediator schedules a session (the notice names its number, the form is cleared), starts it,
 * finds the record's section hints as placeholders (not text to delete), ends it only after ticking
 * the confirmation, adds a term (the form is cleared), finalises only after confirming; the villager
 * then follows plain stages with dates on /track, and each mediation row in words.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { fileCaseAs } from './file-case';
import { DEMO_ACCOUNTS, expect, signIn, test } from './fixtures';

const zh: Record<string, string> = Object.assign(
	{},
	...['', 'casework/', 'public/', 'panels/', 'agreement/', 'record/', 'wording/'].map((area) =>
		JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}zh-CN.json`), 'utf8'))
	)
);
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const nameOf = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.name;
const TITLE = '晒谷场占用纠纷';

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function phone(browser: Browser, baseURL: string, username?: string): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...PHONE });
	contexts.push(context);
	const page = await context.newPage();
	if (username) {
		await signIn(page, username);
		await expect(page).toHaveURL('/');
	}
	return page;
}

async function look(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits 360 px`).toBeLessThanOrEqual(360);
	const path = testInfo.outputPath(`${name}-360x740.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(`${name} (360×740)`, { path, contentType: 'image/png' });
}

async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
	await page.locator('summary').getByText(action, { exact: true }).click();
	const form = page.locator('details[open] form');
	await fill(form);
	await form.getByRole('button', { name: `${zh.cw_confirm}：${action}` }).click();
	await expect(page.getByRole('status').filter({ hasText: zh.cw_done.replace('{step}', action) })).toBeVisible();
}

test('scheduling, record hints, confirmations, term form and public stages read right on a phone', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(240_000);

	// The agent files; the township supervisor accepts and routes it to the mediator.
	const agent = await phone(browser, baseURL!, 'agent');
	const casePath = await fileCaseAs(agent, {
		title: TITLE,
		description: '邻居在公用晒谷场上长期堆放建材，秋收无处晒谷。',
		received: shanghaiDate(new Date()),
		applicant: { name: '𠮷秀英', phone: '13907924321' },
		respondent: { name: '周德旺' }
	});
	const [number, code] = await agent.getByRole('status').filter({ hasText: zh.cw_code_title }).locator('strong.code').allTextContents();

	const township = await phone(browser, baseURL!, 'tubu.supervisor');
	await township.goto(casePath);
	await act(township, zh.cw_kind_accept, async () => {});
	await act(township, zh.cw_kind_assign, async (form) => {
		await form.getByLabel(zh.cw_f_place).selectOption({ label: '城南村' });
		await form.getByLabel(zh.cw_f_mediator).selectOption({ label: `${nameOf('mediator')}（涂埠镇）` });
	});

	// Scheduling: the notice names the session's number and the form starts empty again.
	const mediator = await phone(browser, baseURL!, 'mediator');
	await mediator.goto(`${casePath}/sessions`);
	await mediator.getByLabel(zh.ss_when).fill(`${addDays(shanghaiDate(new Date()), 1)}T10:00`);
	await mediator.getByLabel(zh.ss_location).fill('城南村村委会调解室');
	await mediator.getByRole('button', { name: zh.ss_schedule_submit, exact: true }).click();
	await expect(mediator.getByRole('status').filter({ hasText: '已安排第 1 次调解会。' })).toBeVisible();
	await expect(mediator.getByText('undefined')).toHaveCount(0);
	await expect(mediator.getByLabel(zh.ss_when)).toHaveValue('');
	await expect(mediator.getByLabel(zh.ss_location)).toHaveValue('');
	await look(mediator, testInfo, '1-scheduled');

	await mediator.getByRole('button', { name: zh.ss_start, exact: true }).click();
	await expect(mediator.getByRole('status').filter({ hasText: zh.ss_start_done })).toBeVisible();

	// The record's section hints are placeholders: shown, but not in the text.
	await mediator.getByRole('link', { name: zh.ss_open_live }).click();
	const editor = mediator.getByRole('textbox', { name: zh.record_editor_label });
	await expect(editor).toContainText('申请人陈述');
	await expect(editor.locator('p[data-placeholder="申请人的请求、事实和理由"]')).toHaveCount(1);
	await expect(editor.locator('p[data-placeholder="调解员提出的方案"]')).toHaveCount(1);
	expect(await editor.textContent()).not.toContain('（申请人的请求');
	await look(mediator, testInfo, '2-record-hints');
	await mediator.goto(`${casePath}/sessions`);

	// Ending needs the box ticked: without it the browser does not send the form.
	const endBox = mediator.getByRole('checkbox', { name: zh.wd_confirm_end });
	await expect(endBox).toHaveAttribute('required', '');
	await mediator.getByRole('button', { name: zh.ss_end, exact: true }).click();
	await expect(mediator.getByRole('status').filter({ hasText: zh.ss_end_done })).toHaveCount(0);
	await endBox.check();
	await mediator.getByRole('button', { name: zh.ss_end, exact: true }).click();
	await expect(mediator.getByRole('status').filter({ hasText: zh.ss_end_done })).toBeVisible();

	// A term added clears the new-term form; finalising needs its box ticked.
	await mediator.goto(`${casePath}/agreement`);
	await mediator.getByRole('button', { name: zh.ag_create }).click();
	await expect(mediator.getByTestId('live-draft')).toBeVisible();
	await mediator.locator('#term-new-what').fill('清走晒谷场上的建材');
	await mediator.locator('#term-new-how').fill('自行搬运');
	await mediator.getByRole('button', { name: zh.ag_term_add_submit, exact: true }).click();
	await expect(mediator.getByText('清走晒谷场上的建材').first()).toBeVisible();
	await expect(mediator.locator('#term-new-what')).toHaveValue('');
	await expect(mediator.locator('#term-new-how')).toHaveValue('');
	const freezeBox = mediator.getByRole('checkbox', { name: zh.wd_confirm_freeze });
	await expect(freezeBox).toHaveAttribute('required', '');
	await mediator.getByRole('button', { name: zh.ag_freeze }).click();
	await expect(mediator.getByTestId('agreement-hash')).toHaveCount(0);
	await look(mediator, testInfo, '3-freeze-confirm');
	await freezeBox.check();
	await mediator.getByRole('button', { name: zh.ag_freeze }).click();
	await expect(mediator.getByTestId('agreement-hash')).toHaveText(/^[0-9a-f]{64}$/);

	// The villager's view: plain stages with dates, mediation current, each row in words.
	const villager = await phone(browser, baseURL!);
	await villager.goto('/track');
	await villager.getByLabel(zh.public_track_number, { exact: true }).fill(number);
	await villager.getByLabel(zh.public_track_code, { exact: true }).fill(code);
	await villager.getByRole('button', { name: zh.public_track_submit, exact: true }).click();
	await expect(villager.getByRole('status').first()).toContainText(zh.public_status_in_mediation);
	const stages = villager.getByRole('region', { name: zh.wd_track_stages });
	await expect(stages.getByRole('listitem')).toHaveText([
		new RegExp(`^${zh.wd_track_stage_accepted}.*\\d`),
		new RegExp(`^${zh.wd_track_stage_assigned}.*\\d`),
		new RegExp(`^${zh.wd_track_stage_mediating}.*\\d`),
		new RegExp(`^${zh.wd_track_stage_agreed}\\s*${zh.wd_track_stage_pending}$`),
		new RegExp(`^${zh.wd_track_stage_concluded}\\s*${zh.wd_track_stage_pending}$`)
	]);
	await expect(stages.locator('[aria-current="step"]')).toContainText(zh.wd_track_stage_mediating);
	const main = villager.locator('main');
	await expect(main).toContainText('安排了第 1 次调解会');
	await expect(main).toContainText('第 1 次调解会已结束');
	await expect(main).toContainText(zh.wd_public_event_agreement_frozen);
	await expect(main).not.toContainText(zh.public_event_update);
	await expect(main).not.toContainText('城南村村委会调解室');
	await look(villager, testInfo, '4-track-stages');
});
