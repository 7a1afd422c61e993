/**
 * Issue 5, point 3: the mediator and another person who runs the case co-edit the agreement's draft
 * text live, each in their own browser (the mediator on a phone). Each sees the other's words and
 * presence as they type, the editor says when it is saved, and freezing hashes exactly what they typed;
 * the other editor's page turns to the frozen text by itself.
 * Runs on a demo case of its own (not the demo mediation, which the signing acceptance freezes).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { DEMO_MEDIATION_CASE_TITLE, listedCaseIds } from './demo-case';
import { expect, signIn, test } from './fixtures';

const ag: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/agreement/zh-CN.json'), 'utf8'));
const wd: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/wording/zh-CN.json'), 'utf8'));
const rc: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/record/zh-CN.json'), 'utf8'));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function as(browser: Browser, baseURL: string, login: string, phone: boolean): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...(phone ? PHONE : {}) });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, login);
	await expect(page).toHaveURL('/');
	return page;
}

/** A demo case of the mediator's without an agreement: the mediator drafts one there. */
async function draftOnFreeCase(page: Page): Promise<string> {
	for (const id of await listedCaseIds(page)) {
		const response = await page.request.get(`/cases/${id}/agreement`);
		if (!response.ok()) continue;
		const html = await response.text();
		if (html.includes(DEMO_MEDIATION_CASE_TITLE) || !html.includes(ag.ag_create)) continue;
		await page.goto(`/cases/${id}/agreement`);
		await page.getByRole('button', { name: ag.ag_create }).click();
		// A closed case takes no agreement: the button stays and a message says why; try the next one.
		if (await page.getByTestId('live-draft').waitFor({ timeout: 5_000 }).then(() => true, () => false)) return `/cases/${id}/agreement`;
	}
	throw new Error('no demo case of the mediator is free for a new agreement');
}

const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);

test('two people type into the draft agreement at once; each sees the other; freezing hashes what they typed', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(120_000);
	const mediator = await as(browser, baseURL!, 'mediator', true);
	const path = await draftOnFreeCase(mediator);
	const supervisor = await as(browser, baseURL!, 'tubu.supervisor', false);
	await supervisor.goto(path);

	for (const page of [mediator, supervisor]) await expect(page.getByTestId('live-draft').getByRole('status')).toHaveText(rc.record_save_saved);
	await field(mediator, 'facts').click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('Enter');
	await mediator.keyboard.type('双方于现场核对了界桩位置。');
	await field(supervisor, 'otherTerms').click();
	await supervisor.keyboard.type('双方今后互不追究。');

	// Each sees the other's words and name as they type.
	await expect(field(supervisor, 'facts')).toContainText('双方于现场核对了界桩位置。');
	await expect(field(mediator, 'otherTerms')).toContainText('双方今后互不追究。');
	const supervisorName = (await supervisor.locator('.presence li').filter({ hasText: rc.record_presence_you }).locator('.name').textContent())!.replace(rc.record_presence_you, '');
	await expect(mediator.locator('.presence')).toContainText(supervisorName);
	for (const page of [mediator, supervisor]) await expect(page.getByTestId('live-draft').getByRole('status')).toHaveText(rc.record_save_saved);
	const shot = testInfo.outputPath('agreement-live-phone.png');
	await mediator.screenshot({ path: shot, fullPage: true });
	await testInfo.attach('agreement-live-phone', { path: shot, contentType: 'image/png' });

	// Freezing takes the typed text: both pieces are in the frozen text the hash is of.
	await mediator.getByRole('checkbox', { name: wd.wd_confirm_freeze }).check();
	await mediator.getByRole('button', { name: ag.ag_freeze }).click();
	await expect(mediator.getByTestId('agreement-hash')).toHaveText(/^[0-9a-f]{64}$/);
	const frozen = mediator.getByTestId('agreement-text');
	await expect(frozen).toContainText('双方于现场核对了界桩位置。');
	await expect(frozen).toContainText('双方今后互不追究。');

	// The other editor, without reloading: the server ended their write access, and their page now
	// shows the frozen agreement and the same hash instead of an editor.
	const hash = (await mediator.getByTestId('agreement-hash').textContent())!;
	await expect(supervisor.getByTestId('agreement-hash')).toHaveText(hash);
	await expect(supervisor.getByTestId('live-draft')).toHaveCount(0);
});
