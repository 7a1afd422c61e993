/**
 * Acceptance (issue 18 §2): a party of a newly filed case signs in with the phone on the case and a
 * text code, on a 360x740 phone in Chinese, sees the case on their home page and follows its live
 * record read-only while the mediator types in another browser. The code is read by an administrator
 * on the development outbox (/admin/outbox, SMS_OUTBOX=1), in a separate context.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { fileCaseAs } from './file-case';
import { expect, signIn, test } from './fixtures';
import { codeFromOutbox } from './signing-helpers';

/** Every zh-CN message, from the root file and each area's folder. */
const zh: Record<string, string> = (() => {
	const dir = resolve(import.meta.dirname, '../../messages');
	const files = [resolve(dir, 'zh-CN.json'), ...readdirSync(dir).filter((d) => statSync(resolve(dir, d)).isDirectory()).map((d) => resolve(dir, d, 'zh-CN.json'))];
	return Object.assign({}, ...files.filter((f) => statSync(f, { throwIfNoEntry: false })).map((f) => JSON.parse(readFileSync(f, 'utf8'))));
})();
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function newPage(browser: Browser, baseURL: string, phone = false): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...(phone ? PHONE : {}) });
	contexts.push(context);
	return context.newPage();
}

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

const editor = (page: Page) => page.getByRole('textbox', { name: zh.record_editor_label });

test('a party of a new case signs in with phone + code and follows the live record read-only', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(240_000);
	// A number no seed or other test uses: 139 + the time, so reruns on one database stay fresh.
	const partyPhone = `139${String(Date.now()).slice(-8)}`;
	const title = `水渠纠纷 ${partyPhone.slice(-4)}`;

	// The mediator files the case with the party's fresh number and schedules a session.
	const mediator = await newPage(browser, baseURL!);
	await signIn(mediator, 'mediator');
	await expect(mediator).toHaveURL('/');
	const casePath = await fileCaseAs(mediator, {
		place: '城南村',
		title,
		description: '𠮷秀兰家的水渠被邻居堵住，田里缺水。',
		applicant: { name: '𠮷秀兰', phone: partyPhone },
		respondent: { name: '李德福' }
	});

	await mediator.goto(`${casePath}/sessions`);
	const tomorrow = new Date(Date.now() + 24 * 3600_000);
	const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(tomorrow);
	await mediator.getByLabel(zh.ss_when, { exact: true }).fill(`${local}T09:30`);
	await mediator.getByLabel(zh.ss_location, { exact: true }).fill('城南村调解室');
	await mediator.getByRole('button', { name: zh.ss_schedule_submit, exact: true }).click();
	const openLive = mediator.getByRole('link', { name: zh.ss_open_live });
	await expect(openLive).toBeVisible();
	const sessionPath = (await openLive.getAttribute('href'))!;
	await mediator.goto(sessionPath);
	await expect(editor(mediator)).toHaveAttribute('contenteditable', 'true');

	// The party, on a phone: from the login page to the phone sign-in.
	const party = await newPage(browser, baseURL!, true);
	await party.goto('/login');
	await party.getByRole('link', { name: zh.pt_login_link }).click();
	await expect(party).toHaveURL('/login/phone');
	await expect(party.getByRole('heading', { level: 1, name: zh.pt_title })).toBeVisible();
	await snap(party, testInfo, 'party-phone-sign-in');
	await party.getByLabel(zh.pt_phone_label, { exact: true }).fill(partyPhone);
	await party.getByRole('button', { name: zh.pt_send, exact: true }).click();
	await expect(party.getByRole('status')).toHaveText(zh.pt_sent);
	// The wait before another code, told by the server and counted down in the page.
	const resend = party.getByRole('button', { name: zh.pt_resend, exact: true });
	await expect(resend).toBeDisabled();
	await expect(party.getByText(/\d+ 秒后可以重新发送/)).toBeVisible();
	const codeField = party.getByLabel(zh.pt_code_label, { exact: true });
	await expect(codeField).toHaveAttribute('inputmode', 'numeric');
	await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
	await snap(party, testInfo, 'party-phone-code');

	const admin = await newPage(browser, baseURL!);
	await signIn(admin, 'admin');
	await expect(admin).toHaveURL('/');
	const code = await codeFromOutbox(admin, partyPhone);

	// A wrong code first: refused with a plain message, the number kept.
	await codeField.fill(code === '000000' ? '111111' : '000000');
	await party.getByRole('button', { name: zh.pt_submit, exact: true }).click();
	await expect(party.getByText(zh.pt_err_code_wrong)).toBeVisible();
	await codeField.fill(code);
	await party.getByRole('button', { name: zh.pt_submit, exact: true }).click();
	await expect(party).toHaveURL('/');

	// The home page: the case, its stage in plain words and the session time.
	const mine = party.getByRole('region', { name: zh.pt_my_cases });
	await expect(mine.getByRole('link', { name: title })).toBeVisible();
	await expect(mine).toContainText(zh.pt_stage_registered);
	await expect(mine).toContainText('下次调解：');
	await snap(party, testInfo, 'party-home');

	// The live record, read-only, as the mediator writes it.
	await mine.getByRole('link', { name: zh.pt_open_record }).click();
	await expect(party).toHaveURL(sessionPath);
	await expect(editor(party)).toHaveAttribute('contenteditable', 'false');
	await editor(mediator).click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('Enter');
	await mediator.keyboard.type('调解员记录：双方同意先把水渠疏通。');
	await expect(editor(party)).toContainText('调解员记录：双方同意先把水渠疏通。');
	await editor(party).click();
	await party.keyboard.type('当事人试图修改');
	await expect(editor(mediator)).not.toContainText('当事人试图修改');
	await snap(party, testInfo, 'party-record');

	// Nothing of other cases: the demo cases are not theirs.
	expect((await party.request.get('/cases/1')).status()).toBe(404);
	expect((await party.request.get(`${casePath}/parties/1`)).status()).toBeGreaterThanOrEqual(403);

	// The mediator texts the sign-in help, then corrects the number: the old number loses the case at once.
	await mediator.goto(casePath);
	await mediator.getByRole('link', { name: zh.pt_manage }).first().click();
	await expect(mediator.getByRole('heading', { level: 1, name: zh.pt_party_title.replace('{name}', '𠮷秀兰') })).toBeVisible();
	await mediator.getByRole('button', { name: zh.pt_invite_submit, exact: true }).click();
	await expect(mediator.getByRole('status')).toHaveText(zh.pt_invited.replace('{tail}', partyPhone.slice(-4)));
	await mediator.getByLabel(zh.pt_new_phone, { exact: true }).fill('13900000001');
	await mediator.getByRole('button', { name: zh.pt_correct_submit, exact: true }).click();
	await expect(mediator.getByRole('status')).toHaveText(zh.pt_corrected.replace('{tail}', '0001'));
	expect((await party.request.get(casePath)).status()).toBe(404);
	expect((await party.request.get(sessionPath)).status()).toBe(404);
});

test('without JavaScript the server tells the wait before another code, and refuses an early resend', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ baseURL, ...PHONE, javaScriptEnabled: false });
	contexts.push(context);
	const page = await context.newPage();
	// A number on no case gets exactly the same pages.
	const phone = `138${String(Date.now()).slice(-8)}`;
	await page.goto('/login/phone');
	await page.getByLabel(zh.pt_phone_label, { exact: true }).fill(phone);
	await page.getByRole('button', { name: zh.pt_send, exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(zh.pt_sent);
	await expect(page.getByText(zh.pt_resend_in.replace('{seconds}', '60'))).toBeVisible();
	await page.getByRole('button', { name: zh.pt_resend, exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(/^请等 \d+ 秒再重新发送。$/);
	await expect(page.getByText(/\d+ 秒后可以重新发送/)).toBeVisible();
	// A wrong code keeps the number and says so.
	await page.getByLabel(zh.pt_code_label, { exact: true }).fill('123456');
	await page.getByRole('button', { name: zh.pt_submit, exact: true }).click();
	await expect(page.getByText(zh.pt_err_code_wrong)).toBeVisible();
	await expect(page.getByText(zh.pt_sent_to.replace('{phone}', phone))).toBeVisible();
});
