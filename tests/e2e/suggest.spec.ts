/**
 * Issue 15 in browsers. First §2 alone: the party, on a 360×740 phone in Chinese, turns on 提修改建议
 * and types a change into the live record; the mediator at a desk sees it live as a suggestion under
 * the party's name and accepts it; the panelist on his phone then reads it as plain text. Without
 * suggestion mode the party's typing still goes nowhere (record.spec.ts), and the server's rule on the
 * wire is proven in tests/integration/suggestion-wire.test.ts.
 *
 * Then the "Done when" as one story: the party, on a phone, comments on a passage and suggests
 * a change; the mediator and the panelist at their desks see both live; the mediator answers, accepts
 * and resolves; comparing a version kept before with now shows the change; and a plain Yjs edit the
 * party's page sends over its own socket is dropped.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { demoSessionPath } from './demo-case';
import { DEMO_ACCOUNTS, expect, signIn, test } from './fixtures';

const rec: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/record/zh-CN.json'), 'utf8'));
const sg: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/suggest/zh-CN.json'), 'utf8'));
const cm: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/comments/zh-CN.json'), 'utf8'));
const df: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/diffs/zh-CN.json'), 'utf8'));
const nameOf = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.name;
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };

const editor = (page: Page) => page.getByRole('textbox', { name: rec.record_editor_label });

// One test after the other, not side by side: both have the demo party suggest on the demo record, and
// an accept clicked while the other test's suggestion shifts the list may land on the wrong item.
test.describe.configure({ mode: 'default' });

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

/**
 * A plain edit of the record as a y-websocket sync message: a new first paragraph, made on an empty
 * document (no origins), so it applies to any record. Not a suggestion: a read-only peer's copy must
 * be dropped by the server.
 */
function plainEditMessage(text: string): number[] {
	const doc = new Y.Doc();
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	doc.getXmlFragment('default').insert(0, [p]);
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc));
	doc.destroy();
	return Array.from(encoding.toUint8Array(e));
}

/** Keeps the page's collaboration sockets on `window.__collab`, so the test may write on the party's own. */
async function holdSockets(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const Native = window.WebSocket;
		const held: WebSocket[] = [];
		(window as unknown as { __collab: WebSocket[] }).__collab = held;
		window.WebSocket = class extends Native {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols);
				if (new URL(String(url)).pathname.startsWith('/collab')) held.push(this);
			}
		} as typeof WebSocket;
	});
}

/**
 * Selects a passage of the record as a long press would (Playwright has no long-press selection), or
 * with `caret`, puts the caret just after it, as a tap there would.
 */
async function select(page: Page, passage: string, caret = false): Promise<void> {
	await page.evaluate(
		([text, collapse]) => {
			const walker = document.createTreeWalker(document.querySelector('.record-body')!, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				const at = node.textContent!.indexOf(text);
				if (at < 0) continue;
				const range = document.createRange();
				range.setStart(node, collapse ? at + text.length : at);
				range.setEnd(node, at + text.length);
				document.getSelection()!.removeAllRanges();
				document.getSelection()!.addRange(range);
				return;
			}
			throw new Error(`not in the record: ${text}`);
		},
		[passage, caret] as const
	);
}

test('a party on a phone comments and suggests; the mediator answers, accepts and resolves; the diff shows it; a plain edit is dropped', async ({ browser, baseURL }) => {
	test.setTimeout(300_000);
	// Each run its own words: other specs write on the same demo record at the same time.
	const stamp = Date.now().toString(36).slice(-5);
	const passage = `东墙按老界址重砌${stamp}`;
	const objection = `老界址在哪里？请写明。${stamp}`;
	const answer = `以一九九八年地契所载为准。${stamp}`;
	const suggestion = `，重砌费用双方各半${stamp}`;
	const forged = `当事人擅自改写${stamp}`;
	const kept = `建议之前${stamp}`;

	// The mediator writes the passage and keeps a version before anyone suggests anything.
	const mediator = await openAs(browser, baseURL!, 'mediator', DESK);
	const path = await demoSessionPath(mediator);
	await mediator.goto(path);
	await editor(mediator).click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('Enter');
	await mediator.keyboard.type(`调解员记录：${passage}。`);
	await expect(mediator.locator('[data-state]')).toHaveText(rec.record_save_saved);
	await mediator.getByLabel(rec.record_version_name).fill(kept);
	await mediator.getByRole('button', { name: rec.record_version_save }).click();
	await expect(mediator.getByRole('status').filter({ hasText: kept })).toBeVisible();
	const margin = mediator.getByRole('complementary', { name: cm.cm_title });
	await expect(margin).toBeVisible();

	// The second staff member, the panelist, at his desk.
	const panelist = await openAs(browser, baseURL!, 'panelist', DESK);
	await panelist.goto(path);
	await expect(editor(panelist)).toContainText(passage);

	const party = await openAs(browser, baseURL!, 'party', PHONE);
	await holdSockets(party);
	await party.goto(path);
	await expect(editor(party)).toHaveAttribute('contenteditable', 'false');
	await expect(editor(party)).toContainText(passage);

	// A plain edit straight onto the party's socket, before anything else the party sends on it.
	const message = plainEditMessage(forged);
	await party.evaluate((bytes) => {
		const open = (window as unknown as { __collab: WebSocket[] }).__collab.filter((ws) => ws.readyState === WebSocket.OPEN);
		if (open.length !== 1) throw new Error(`${open.length} open collaboration sockets`);
		open[0].send(new Uint8Array(bytes));
	}, message);

	// The party comments on the passage, in the sheet.
	await select(party, passage);
	await party.getByRole('button', { name: cm.cm_add }).click();
	const sheet = party.getByRole('dialog', { name: cm.cm_title });
	await expect(sheet.locator('blockquote')).toContainText(passage);
	await sheet.getByLabel(cm.cm_body_label).fill(objection);
	await sheet.getByRole('button', { name: cm.cm_send }).click();
	await expect(sheet.getByRole('status')).toHaveText(cm.cm_sent);
	await sheet.getByRole('button', { name: cm.cm_close }).click();
	await expect(sheet).toBeHidden();

	// …and suggests words right after it. Not at the end of the record: the other test of this file
	// types a suggestion of the same party there at the same time, and touching insertions of one
	// author are one suggestion, accepted together.
	await party.getByRole('button', { name: sg.sg_start }).click();
	await expect(editor(party)).toHaveAttribute('contenteditable', 'true');
	await editor(party).focus();
	await select(party, passage, true);
	await party.keyboard.type(suggestion);
	await expect(editor(party).locator('ins', { hasText: suggestion })).toBeVisible();
	await party.screenshot({ path: test.info().outputPath('done-when-party-360x740.png'), fullPage: true });

	// Both staff see the comment and the suggestion live, without reloading.
	const thread = margin.locator('li.thread', { hasText: objection });
	await expect(thread).toContainText(nameOf('party'));
	await expect(editor(mediator).locator('ins', { hasText: suggestion })).toBeVisible();
	await expect(panelist.getByRole('complementary', { name: cm.cm_title }).locator('li.thread', { hasText: objection })).toBeVisible();
	await expect(editor(panelist).locator('ins', { hasText: suggestion })).toBeVisible();
	// The suggestion travelled on the same socket after the plain edit: that one was dropped, not late.
	await expect(editor(mediator)).not.toContainText(forged);
	await expect(editor(panelist)).not.toContainText(forged);

	// The mediator answers, accepts the suggestion and resolves the thread.
	await thread.getByLabel(cm.cm_reply_label).fill(answer);
	await thread.getByRole('button', { name: cm.cm_reply_send }).click();
	await expect(thread).toContainText(answer);
	// Listed in the party's group, under her name.
	const group = mediator.getByTestId('suggestions').locator('.group').filter({ hasText: suggestion });
	await expect(group.locator('.who')).toContainText(sg.sg_by.replace('{name}', nameOf('party')));
	const item = group.getByTestId('suggestion').filter({ hasText: suggestion });
	await item.getByRole('button', { name: sg.sg_accept, exact: true }).click();
	await expect(editor(mediator).locator('ins', { hasText: suggestion })).toHaveCount(0);
	// (Not checked as one string with the passage: the party's caret, with her name, sits right after it.)
	await expect(editor(mediator)).toContainText(suggestion);
	await thread.getByRole('button', { name: cm.cm_resolve }).click();
	await expect(margin.locator('li.thread', { hasText: objection })).toHaveCount(0);
	await expect(mediator.locator('[data-state]')).toHaveText(rec.record_save_saved);

	// Everyone reads the accepted text as plain text.
	for (const page of [party, panelist]) {
		await expect(editor(page)).toContainText(suggestion);
		await expect(editor(page).locator('ins', { hasText: suggestion })).toHaveCount(0);
	}

	// The version kept before, compared with now: the accepted words are the insertion; the forged ones are nowhere.
	await mediator.getByRole('link', { name: new RegExp(`^${df.df_compare_link}\\s*：${kept}$`) }).click();
	await expect(mediator.getByRole('heading', { level: 1, name: df.df_compare_title })).toBeVisible();
	const region = mediator.getByRole('region', { name: df.df_diff_label });
	await expect(region.locator('.block ins').filter({ hasText: suggestion })).toHaveCount(1);
	await expect(region).not.toContainText(forged);
	await mediator.screenshot({ path: test.info().outputPath('done-when-diff-desk.png'), fullPage: true });

	// Read back from the server, the record has no trace of the plain edit.
	await panelist.reload();
	await expect(editor(panelist)).toContainText(suggestion);
	await expect(editor(panelist)).not.toContainText(forged);

	for (const page of [mediator, party, panelist]) await page.context().close();
});
