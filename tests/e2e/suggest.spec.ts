/**
 * Issue 15 §2 in browsers: the party, on a 360×740 phone in Chinese, turns on 提修改建议 and types a
 * change into the live record; the mediator at a desk sees it live as a suggestion under the party's
 * name and accepts it; the panelist on his phone then reads it as plain text. Without suggestion mode
 * the party's typing still goes nowhere (record.spec.ts), and the server's rule on the wire is proven
 * in tests/integration/suggestion-wire.test.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { demoSessionPath } from './demo-case';
import { DEMO_ACCOUNTS, expect, signIn, test } from './fixtures';

const rec: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/record/zh-CN.json'), 'utf8'));
const sg: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/suggest/zh-CN.json'), 'utf8'));
const nameOf = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.name;
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };

const editor = (page: Page) => page.getByRole('textbox', { name: rec.record_editor_label });

async function openAs(browser: Browser, baseURL: string, username: string, device: object): Promise<Page> {
	const context = await browser.newContext({ ...device, baseURL });
	const page = await context.newPage();
	await signIn(page, username);
	await expect(page).toHaveURL('/');
	return page;
}

test('a party suggests a change on a phone; the mediator sees it live under her name and accepts it', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	const mediator = await openAs(browser, baseURL!, 'mediator', DESK);
	const path = await demoSessionPath(mediator);
	await mediator.goto(path);
	await expect(editor(mediator)).toHaveAttribute('contenteditable', 'true');

	const party = await openAs(browser, baseURL!, 'party', PHONE);
	await party.goto(path);
	await expect(editor(party)).toHaveAttribute('contenteditable', 'false');
	await party.getByRole('button', { name: sg.sg_start }).click();
	await expect(party.getByText(sg.sg_party_hint)).toBeVisible();
	await expect(editor(party)).toHaveAttribute('contenteditable', 'true');

	const text = `当事人建议：每周一三五放水${Date.now() % 1000}。`;
	await editor(party).click();
	await party.keyboard.press('ControlOrMeta+End');
	await party.keyboard.type(text);
	// On the party's own page it is a suggestion, not an edit.
	await expect(editor(party).locator('ins', { hasText: text })).toBeVisible();
	await party.screenshot({ path: test.info().outputPath('suggest-party-360x740.png'), fullPage: true });

	// The mediator sees it live, marked, and listed under the party's name.
	await expect(editor(mediator).locator('ins', { hasText: text })).toBeVisible();
	const list = mediator.getByTestId('suggestions');
	await expect(list).toContainText(sg.sg_by.replace('{name}', nameOf('party')));
	const item = list.getByTestId('suggestion').filter({ hasText: text });
	await expect(item).toHaveCount(1);
	await item.getByRole('button', { name: sg.sg_accept, exact: true }).click();

	// Accepted: plain text for everyone, the suggestion gone.
	await expect(editor(mediator).locator('ins', { hasText: text })).toHaveCount(0);
	await expect(editor(mediator)).toContainText(text);
	await expect(editor(party).locator('ins', { hasText: text })).toHaveCount(0);
	await expect(editor(party)).toContainText(text);

	const panelist = await openAs(browser, baseURL!, 'panelist', PHONE);
	await panelist.goto(path);
	await expect(editor(panelist)).toContainText(text);
	await expect(editor(panelist).locator('ins', { hasText: text })).toHaveCount(0);

	for (const page of [mediator, party, panelist]) await page.context().close();
});
