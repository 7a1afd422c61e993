/**
 * Issue 15 §3, version diffs, in Chinese: the mediator at a desk keeps a version of a record, edits it,
 * compares the version with now and sees the inserted words; then the agreement is finalised, unfrozen,
 * changed and finalised again, and the party, on a 360×740 phone through their signing link, sees what
 * changed before signing again. Each test files a case of its own: the demo mediation's record and
 * agreement belong to other specs running at the same time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { expect, signIn, test } from './fixtures';
import { fileCaseAs } from './file-case';
import { codeFromOutbox } from './signing-helpers';

const read = (area: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}/zh-CN.json`), 'utf8'));
const df = read('diffs');
const rec = read('record');
const ag = read('agreement');
const wd = read('wording');
const ss = read('panels');
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function open(browser: Browser, baseURL: string, phone: boolean): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...(phone ? PHONE : { locale: 'zh-CN' }) });
	contexts.push(context);
	return context.newPage();
}

async function look(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** A case of the mediator's own in 城南村, with an applicant who has a phone of their own. */
async function fileOwnCase(mediator: Page, title: string, phone: string): Promise<string> {
	return fileCaseAs(mediator, {
		title,
		description: '排水沟堵塞，雨水漫进邻居院子。',
		place: '城南村',
		applicant: { name: '王𠮷祥', phone },
		respondent: { name: '李䶮' }
	});
}

const unique = () => String(Date.now()).slice(-6);
const diffRegion = (page: Page) => page.getByRole('region', { name: df.df_diff_label });

test('the mediator keeps a version, edits the record, compares and sees the inserted words', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(300_000);
	const mediator = await open(browser, baseURL!, false);
	await signIn(mediator, 'mediator');
	await expect(mediator).toHaveURL('/');
	const casePath = await fileOwnCase(mediator, `排水沟纠纷（比较版本 ${unique()}）`, `1390799${unique().slice(-4)}`);

	// A session for the record: tomorrow at the village's mediation room.
	await mediator.goto(`${casePath}/sessions`);
	const tomorrow = new Date(Date.now() + 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
	await mediator.getByLabel(ss.ss_when, { exact: true }).fill(`${tomorrow}T09:30`);
	await mediator.getByLabel(ss.ss_location, { exact: true }).fill('城南村调解室');
	await mediator.getByRole('button', { name: ss.ss_schedule_submit }).click();
	await expect(mediator.getByRole('status').filter({ hasText: ss.ss_scheduled_done.replace('{seq}', '1') })).toBeVisible();
	const sessionHref = (await mediator.locator('a[href^="/sessions/"]').first().getAttribute('href'))!;
	await mediator.goto(sessionHref.replace(/\/calendar\.ics$/, ''));

	const editor = mediator.getByRole('textbox', { name: rec.record_editor_label });
	await expect(mediator.locator('[data-state]')).toHaveText(rec.record_save_saved);
	await mediator.getByLabel(rec.record_version_name).fill('改动之前');
	await mediator.getByRole('button', { name: rec.record_version_save }).click();
	await expect(mediator.getByRole('status').filter({ hasText: '改动之前' })).toBeVisible();

	await editor.click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('Enter');
	await mediator.keyboard.type('调解员补记：双方同意由王𠮷祥出资重修排水沟。');
	await expect(mediator.locator('[data-state]')).toHaveText(rec.record_save_saved);

	await mediator.getByRole('link', { name: new RegExp(`^${df.df_compare_link}\\s*：改动之前$`) }).click();
	await expect(mediator.getByRole('heading', { level: 1, name: df.df_compare_title })).toBeVisible();
	const region = diffRegion(mediator);
	await expect(region.locator('.block ins')).toContainText(['调解员补记：双方同意由王𠮷祥出资重修排水沟。']);
	await expect(region.locator('.block del')).toHaveCount(0);
	await expect(mediator.getByTestId('diff-summary')).toHaveText(df.df_summary.replace('{insertions}', '1').replace('{deletions}', '0'));
	// The mediator who kept the version is named on its side.
	await expect(mediator.getByText(/保存于/)).toBeVisible();
	await look(mediator, testInfo, 'diffs-record-desk');

	// A malformed version id is a page in Chinese, not a server error.
	const bad = await mediator.goto(`${sessionHref.replace(/\/calendar\.ics$/, '')}/versions/compare?from=abc`);
	expect(bad?.status()).toBe(404);
	await expect(mediator.getByRole('main')).toContainText('找不到');
});

test('after an unfreeze the party on a phone sees what changed before signing again', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(300_000);
	const phone = `1390798${unique().slice(-4)}`;
	const mediator = await open(browser, baseURL!, false);
	await signIn(mediator, 'mediator');
	await expect(mediator).toHaveURL('/');
	const casePath = await fileOwnCase(mediator, `围墙纠纷（协议改动 ${unique()}）`, phone);
	const path = `${casePath}/agreement`;
	await mediator.goto(path);
	await mediator.getByRole('button', { name: ag.ag_create }).click();
	await expect(mediator.getByTestId('live-draft').getByRole('status')).toHaveText(rec.record_save_saved);
	const field = (name: string) => mediator.locator(`[data-field="${name}"]`);
	await field('facts').click();
	await mediator.keyboard.type('李䶮砌墙越界。');
	await field('otherTerms').click();
	await mediator.keyboard.type('双方今后互不追究。');
	await expect(mediator.getByTestId('live-draft').getByRole('status')).toHaveText(rec.record_save_saved);

	const freeze = async () => {
		await mediator.getByRole('checkbox', { name: wd.wd_confirm_freeze }).check();
		await mediator.getByRole('button', { name: ag.ag_freeze }).click();
		await expect(mediator.getByTestId('agreement-hash')).toHaveText(/^[0-9a-f]{64}$/);
	};
	await freeze();
	await mediator.getByLabel(ag.ag_unfreeze_reason).fill('当事人要求写明越界多少');
	await mediator.getByRole('button', { name: ag.ag_unfreeze }).click();
	await expect(mediator.getByTestId('live-draft').getByRole('status')).toHaveText(rec.record_save_saved);
	await field('facts').click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('ArrowLeft');
	await mediator.keyboard.type('约半米');
	await expect(field('facts')).toContainText('李䶮砌墙越界约半米。');
	await expect(mediator.getByTestId('live-draft').getByRole('status')).toHaveText(rec.record_save_saved);
	await freeze();
	// The mediator sees the same changes above the frozen text.
	await expect(mediator.getByTestId('agreement-changes').locator('ins')).toContainText(['约半米']);

	const row = mediator.locator('[data-testid^="signer-"]').filter({ hasText: '王𠮷祥' });
	await row.getByRole('button', { name: ag.ag_invite }).click();
	const link = (await row.locator('[data-testid^="invite-link-"]').getAttribute('href'))!;

	const admin = await open(browser, baseURL!, false);
	await signIn(admin, 'admin');
	const party = await open(browser, baseURL!, true);
	await party.goto(new URL(link).pathname);
	await party.getByRole('button', { name: ag.sg_code_send }).tap();
	await expect(party.getByLabel(ag.sg_code_label)).toBeVisible();
	await party.getByLabel(ag.sg_code_label).fill(await codeFromOutbox(admin, phone));
	await party.getByRole('button', { name: ag.sg_code_submit }).tap();

	const changes = party.getByTestId('agreement-changes');
	await expect(changes.getByRole('heading', { name: df.df_ag_changes_heading })).toBeVisible();
	await expect(changes).toContainText('当事人要求写明越界多少');
	// Inserted words are underlined and announced, not told by colour alone.
	const ins = changes.locator('.block ins');
	await expect(ins.filter({ hasText: '约半米' })).toHaveCount(1);
	await expect(ins.filter({ hasText: '约半米' })).toContainText(df.df_ins_start);
	expect(await ins.first().evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('underline');
	expect(await party.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await changes.scrollIntoViewIfNeeded();
	await look(party, testInfo, 'diffs-agreement-phone-360');
	// The text to sign is still there, below the changes.
	await expect(party.getByTestId('agreement-text')).toContainText('李䶮砌墙越界约半米。');
});
