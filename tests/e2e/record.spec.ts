/**
 * Acceptance (issue 4): the live mediation record in real browsers against the production build.
 * - Two contexts (mediator and panelist) type into the same record and each sees the other's text and
 *   named caret; a third (a party) follows it live and cannot type.
 * - Offline: the panelist goes offline, types, reloads (the page comes from the service worker, the text
 *   from IndexedDB), comes back online, and the text reaches the mediator.
 * - Signing out removes the record kept on the device.
 * The demo seed holds a case in 城南村 with the demo mediator, the demo panelist on its panel (no
 * conflict) and the demo party as applicant, and one scheduled session (seed/demo-mediation.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { DEMO_MEDIATION_CASE_TITLE, demoSessionPath } from './demo-case';
import { DEMO_ACCOUNTS, expect, signIn, test, zh } from './fixtures';

const rec: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/record/zh-CN.json'), 'utf8'));
const nameOf = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.name;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// One record shared by the tests of this file, in order: the offline test builds on the first's text.
test.describe.configure({ mode: 'serial' });

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function openAs(browser: Browser, baseURL: string, username: string, phone = false): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...(phone ? PHONE : {}) });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, username);
	await expect(page).toHaveURL('/');
	return page;
}

let sessionPath = '';
/** The demo session's page, found as the mediator would reach it: the one whose page names the demo case. */
async function findSession(page: Page): Promise<string> {
	return (sessionPath ||= await demoSessionPath(page));
}

const editor = (page: Page) => page.getByRole('textbox', { name: rec.record_editor_label });
const saveStatus = (page: Page) => page.locator('[data-state]');
const presence = (page: Page) => page.getByRole('region', { name: rec.record_presence_title });

/** Types at the very end of the record, on a new line, as someone adding to it would. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).click();
	await page.keyboard.press('ControlOrMeta+End');
	await page.keyboard.press('Enter');
	await page.keyboard.type(text);
}

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

let mediator: Page;
let panelist: Page;
let party: Page;

test('mediator and panelist write the record together, with named carets; the party reads it live and cannot type', async ({ browser, baseURL }) => {
	test.setTimeout(300_000);
	mediator = await openAs(browser, baseURL!, 'mediator');
	const path = await findSession(mediator);
	await mediator.goto(path);
	await expect(mediator.getByRole('heading', { level: 1, name: DEMO_MEDIATION_CASE_TITLE })).toBeVisible();
	// An empty record starts from the 调解笔录 template.
	await expect(editor(mediator).locator('h3', { hasText: '权利义务告知' })).toBeVisible();
	await expect(editor(mediator)).toHaveAttribute('contenteditable', 'true');

	panelist = await openAs(browser, baseURL!, 'panelist', true);
	await panelist.goto(path);
	await expect(editor(panelist)).toHaveAttribute('contenteditable', 'true');
	await expect(editor(panelist).locator('h3', { hasText: '评理团意见' })).toBeVisible();
	// The template is there once, however many editors opened the record.
	await expect(editor(panelist).locator('h3', { hasText: '权利义务告知' })).toHaveCount(1);

	party = await openAs(browser, baseURL!, 'party', true);
	await party.goto(path);
	await expect(editor(party)).toHaveAttribute('contenteditable', 'false');
	await expect(party.getByRole('toolbar')).toHaveCount(0);

	// Who is here, live, on every page.
	for (const page of [mediator, panelist, party]) {
		for (const who of ['mediator', 'panelist', 'party']) await expect(presence(page)).toContainText(nameOf(who));
	}

	await typeAtEnd(mediator, '调解员记录：双方同意先停用水泵。');
	await typeAtEnd(panelist, '评理员意见：应错峰用水。');
	for (const page of [mediator, panelist, party]) {
		await expect(editor(page)).toContainText('调解员记录：双方同意先停用水泵。');
		await expect(editor(page)).toContainText('评理员意见：应错峰用水。');
	}
	// Each sees the other's caret, labelled with the other's name.
	await expect(mediator.locator('.collaboration-carets__label', { hasText: nameOf('panelist') })).toBeVisible();
	await expect(panelist.locator('.collaboration-carets__label', { hasText: nameOf('mediator') })).toBeVisible();
	// "Saved" only once the server has stored the edits.
	await expect(saveStatus(mediator)).toHaveText(rec.record_save_saved);
	await expect(saveStatus(panelist)).toHaveText(rec.record_save_saved);
	await expect(saveStatus(party)).toHaveText(rec.record_read_live);

	// The party cannot type: nothing changes on their page or anyone else's.
	await editor(party).click();
	await party.keyboard.type('当事人试图修改');
	await typeAtEnd(mediator, '（当事人已阅）');
	// The mediator's later line arrives, and the party's keystrokes are nowhere.
	await expect(editor(party)).toContainText('（当事人已阅）');
	await expect(editor(panelist)).toContainText('（当事人已阅）');
	for (const page of [mediator, panelist, party]) await expect(editor(page)).not.toContainText('当事人试图修改');

	await snap(panelist, test.info(), 'record-panelist-390x844');
	await snap(party, test.info(), 'record-party-390x844');
});

test('offline: edits are kept on the device through a reload and reach the mediator when back online', async () => {
	test.setTimeout(300_000);
	// Only when this test is run on its own (e.g. --grep): the serial file otherwise stops at a failed first test.
	test.skip(!panelist, 'needs the pages of the first test');
	const context = panelist.context();
	// The page must be kept by the service worker before the network goes.
	await expect
		.poll(() => panelist.evaluate(async () => !!(await navigator.serviceWorker.ready) && !!(await caches.match(location.pathname))), { timeout: 60_000 })
		.toBe(true);

	await context.setOffline(true);
	await expect(saveStatus(panelist)).toHaveText(rec.record_save_offline);
	const offlineText = '离线补记：钱某同意夜间不抽水。';
	await typeAtEnd(panelist, offlineText);
	// Kept on the device (IndexedDB has committed it) before the reload.
	await expect(saveStatus(panelist)).toHaveAttribute('data-local', 'kept');
	await expect(saveStatus(panelist)).toHaveText(rec.record_save_offline);

	const reloaded = await panelist.reload();
	// The page itself came from the service worker: there is no network.
	expect(reloaded?.fromServiceWorker()).toBe(true);
	await expect(editor(panelist)).toContainText(offlineText);
	await expect(editor(panelist)).toContainText('评理员意见：应错峰用水。');
	await expect(saveStatus(panelist)).toHaveText(rec.record_save_offline);
	// Nothing has left the device yet.
	await expect(editor(mediator)).not.toContainText(offlineText);

	await context.setOffline(false);
	await expect(editor(mediator)).toContainText(offlineText);
	await expect(editor(party)).toContainText(offlineText);
	await expect(saveStatus(panelist)).toHaveText(rec.record_save_saved);
});

test('versions: the mediator keeps one, the text changes, and restoring brings it back for everyone', async () => {
	test.setTimeout(300_000);
	// Only when this test is run on its own (e.g. --grep): the serial file otherwise stops at a failed first test.
	test.skip(!mediator, 'needs the pages of the first test');
	await mediator.getByLabel(rec.record_version_name).fill('第一次调解结束');
	await mediator.getByRole('button', { name: rec.record_version_save }).click();
	await expect(mediator.getByRole('status').filter({ hasText: '第一次调解结束' })).toBeVisible();

	await typeAtEnd(mediator, '存档之后的修改');
	await expect(editor(panelist)).toContainText('存档之后的修改');

	await mediator.getByRole('link', { name: rec.record_version_view }).first().click();
	await expect(mediator.getByRole('heading', { level: 1 })).toContainText('第一次调解结束');
	await expect(mediator.getByRole('article')).toContainText('评理员意见：应错峰用水。');
	await expect(mediator.getByRole('article')).not.toContainText('存档之后的修改');
	await mediator.getByRole('button', { name: rec.record_version_restore }).click();
	await expect(mediator.getByRole('status').filter({ hasText: '第一次调解结束' })).toBeVisible();

	// The panelist, still editing, sees the restore arrive as a live edit.
	await expect(editor(panelist)).not.toContainText('存档之后的修改');
	await expect(editor(panelist)).toContainText('离线补记：钱某同意夜间不抽水。');
	// A party may view versions but not restore them.
	await party.goto(mediator.url());
	await expect(party.getByRole('article')).toContainText('评理员意见：应错峰用水。');
	await expect(party.getByRole('button', { name: rec.record_version_restore })).toHaveCount(0);
});

test('the record page fits a phone in Chinese', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	const page = await openAs(browser, baseURL!, 'mediator', true);
	await page.goto(await findSession(page));
	await expect(editor(page)).toBeVisible();
	await expect(saveStatus(page)).toHaveText(rec.record_save_saved);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	// Every toolbar button is a comfortable touch target.
	for (const box of await page.getByRole('toolbar').getByRole('button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON())))
		expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
	await snap(page, test.info(), 'record-mediator-390x844');
});

test('signing out leaves no copy of the record on the device', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	const page = await openAs(browser, baseURL!, 'mediator');
	await page.goto(await findSession(page));
	await typeAtEnd(page, '退出前的记录');
	await expect(saveStatus(page)).toHaveText(rec.record_save_saved);
	const kept = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((name) => name?.startsWith('pingli:')));
	await expect.poll(kept).not.toEqual([]);

	await page.getByRole('button', { name: zh.nav_logout }).click();
	await expect(page).toHaveURL(/\/login\?signed-out/);
	await expect.poll(kept).toEqual([]);
});
