/**
 * Acceptance (issue 15 §1): comment threads on the live record, in Chinese, three people.
 * - The party, on a 360×740 phone, selects a passage of the record, comments on it in the sheet and
 *   mentions the panelist.
 * - The mediator, at a desk, sees the comment arrive in the margin without reloading, answers it and
 *   resolves it; the party sees the answer and the resolution live.
 * - The panelist finds the mention on his own home page and is led to the thread.
 * - The record's history lists the comment events.
 * The demo seed holds a case in 城南村 with the demo mediator, the demo panelist on its panel (no
 * conflict) and the demo party as applicant, and one scheduled session (seed/demo-mediation.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { demoSessionPath } from './demo-case';
import { DEMO_ACCOUNTS, expect, signIn, test } from './fixtures';

const zh: Record<string, string> = Object.assign(
	{},
	...['', 'record/', 'notices/', 'comments/'].map((area) => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}zh-CN.json`), 'utf8')))
);
const fill = (key: string, params: Record<string, string | number>) => zh[key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k]));
const nameOf = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.name;
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function openAs(browser: Browser, baseURL: string, username: string, device: typeof PHONE | typeof DESK): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...device });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, username);
	await expect(page).toHaveURL('/');
	return page;
}

const editor = (page: Page) => page.getByRole('textbox', { name: zh.record_editor_label });

/**
 * Selects a passage of the record as a long press would. Playwright has no long-press selection on
 * touch screens, so the page's own Selection API makes the same selection the browser would.
 */
async function select(page: Page, passage: string): Promise<void> {
	await page.evaluate((text) => {
		const root = document.querySelector('.record-body')!;
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const at = node.textContent!.indexOf(text);
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + text.length);
			document.getSelection()!.removeAllRanges();
			document.getSelection()!.addRange(range);
			return;
		}
		throw new Error(`not in the record: ${text}`);
	}, passage);
}

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: false });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('a party comments on a phone; the mediator sees it live, answers and resolves it; the mentioned panelist finds it at home', async ({ browser, baseURL }) => {
	test.setTimeout(300_000);
	// Each run its own words, so a retry on the same database finds its own thread.
	const stamp = Date.now().toString(36).slice(-4);
	const passage = `界墙以老界址为准${stamp}`;
	const objection = `老界址没有凭据，请核实。𠮷${stamp}`;
	const answer = `已核实，以一九九八年地契为准。${stamp}`;

	const mediator = await openAs(browser, baseURL!, 'mediator', DESK);
	const path = await demoSessionPath(mediator);
	await mediator.goto(path);
	await editor(mediator).click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('Enter');
	await mediator.keyboard.type(`调解员记录：${passage}。`);
	await expect(mediator.locator('[data-state]')).toHaveText(zh.record_save_saved);
	const margin = mediator.getByRole('complementary', { name: zh.cm_title });
	await expect(margin).toBeVisible();

	// The party, on a phone: select, comment, mention the panelist.
	const party = await openAs(browser, baseURL!, 'party', PHONE);
	await party.goto(path);
	await expect(editor(party)).toContainText(passage);
	// On a phone the thread list is not loaded until asked for (the record page's script budget).
	await expect(party.getByRole('dialog')).toHaveCount(0);
	await select(party, passage);
	await party.getByRole('button', { name: zh.cm_add }).click();
	const sheet = party.getByRole('dialog', { name: zh.cm_title });
	await expect(sheet).toBeVisible();
	await expect(sheet.locator('blockquote')).toContainText(passage);
	// An empty comment is refused with a reason, and the sheet stays as it was.
	await sheet.getByRole('button', { name: zh.cm_send }).click();
	await expect(sheet.getByLabel(zh.cm_body_label)).toBeFocused();
	await sheet.getByLabel(zh.cm_body_label).fill(objection);
	await sheet.getByRole('checkbox', { name: `@${nameOf('panelist')}` }).check();
	await snap(party, test.info(), 'comment-party-360x740');
	await sheet.getByRole('button', { name: zh.cm_send }).click();
	await expect(sheet.getByRole('status')).toHaveText(zh.cm_sent);
	const partyThread = sheet.locator('li.thread', { hasText: objection });
	await expect(partyThread).toBeVisible();

	// The mediator sees it arrive without reloading, highlighted in the text and in the margin.
	const thread = margin.locator('li.thread', { hasText: objection });
	await expect(thread).toBeVisible();
	await expect(thread).toContainText(nameOf('party'));
	await expect(thread).toContainText(`@${nameOf('panelist')}`);
	await expect(editor(mediator).locator('.comment-mark', { hasText: passage })).toBeVisible();
	await thread.getByLabel(zh.cm_reply_label).fill(answer);
	await thread.getByRole('button', { name: zh.cm_reply_send }).click();
	await expect(thread).toContainText(answer);
	await thread.getByRole('button', { name: zh.cm_resolve }).click();
	await expect(margin.locator('li.thread', { hasText: objection })).toHaveCount(0);
	await snap(mediator, test.info(), 'comment-mediator-desk');

	// The party sees the answer and the resolution live, in the sheet still open.
	await expect(sheet.locator('li.thread', { hasText: objection })).toHaveCount(0);
	await sheet.getByRole('button', { name: new RegExp(zh.cm_show_resolved.replace(/（\{count\}）/, '')) }).click();
	const resolved = sheet.locator('li.thread', { hasText: objection });
	await expect(resolved).toContainText(answer);
	await expect(resolved).toContainText(zh.cm_status_resolved);
	await expect(resolved).toContainText(fill('cm_entry_resolved', { name: nameOf('mediator') }));
	await snap(party, test.info(), 'comment-party-resolved-360x740');

	// The record's history lists what was said and done.
	await mediator.reload();
	const history = mediator.getByTestId('comment-history');
	await expect(history).toContainText(fill('cm_history_resolve', { name: nameOf('mediator'), quote: passage }));
	await expect(history).toContainText(fill('cm_history_open', { name: nameOf('party'), quote: passage }));

	// The panelist, at home, finds the mention and is led to the thread.
	const panelist = await openAs(browser, baseURL!, 'panelist', DESK);
	const notice = panelist.locator('li', { hasText: zh.cm_notice_mention.replace(/\{number\}.*$/, '').trim() }).first();
	await expect(notice).toBeVisible();
	await notice.getByRole('link', { name: zh.nt_open }).click();
	await expect(panelist).toHaveURL(new RegExp(`${path}#comment-\\d+$`));
	const focused = panelist.getByRole('complementary', { name: zh.cm_title }).locator('li.thread.active');
	await expect(focused).toContainText(objection);
});
