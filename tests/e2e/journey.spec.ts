/**
 * Acceptance (issue 18, "Done when"): the whole story of a newly filed case for the two people it is
 * built for besides the mediator, on 360×740 phones in Chinese, with no URL handed to anyone:
 * - the panelist learns of his invitation on his home page, declares "no conflict" from the notice in
 *   two taps and reaches the case from his own list;
 * - the party, whose name holds a character outside the BMP (𠮷), signs in with the phone on the case
 *   and a text code, follows the live record as the mediator types it, reaches the frozen agreement
 *   from her home page, signs it with a finger by tapping "我是 𠮷田春" (typing nothing) and one tap on
 *   the button, and downloads her copy — whose extracted text holds every name and term exactly.
 * The other party (䶮 in his name) signs through his personal link and code; codes are read by an
 * administrator on the development outbox (/admin/outbox).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { pdfText } from '../support/pdf-read';
import { expect, signIn, test } from './fixtures';
import { codeFromOutbox, drawWithFinger, drawWithMouse } from './signing-helpers';

/** Every zh-CN message, from the root file and each area's folder. */
const zh: Record<string, string> = (() => {
	const dir = resolve(import.meta.dirname, '../../messages');
	const files = [resolve(dir, 'zh-CN.json'), ...readdirSync(dir).filter((d) => statSync(resolve(dir, d)).isDirectory()).map((d) => resolve(dir, d, 'zh-CN.json'))];
	return Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(f, 'utf8'))));
})();
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const APPLICANT = '𠮷田春';
const RESPONDENT = '䶮明';
const TERM = '在𡈼字号田块补种秧苗并赔偿损失';

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function newPage(browser: Browser, baseURL: string, phone: boolean): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...(phone ? PHONE : { locale: 'zh-CN' }) });
	contexts.push(context);
	return context.newPage();
}

async function look(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} fits the screen`).toBeLessThanOrEqual(page.viewportSize()!.width);
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

const editor = (page: Page) => page.getByRole('textbox', { name: zh.record_editor_label });

test('a new case: the panelist finds and accepts his invitation; the party signs in by phone, follows the record, signs by tapping and keeps an exact copy', async ({ browser, baseURL }, testInfo) => {
	// Five people and two PDFs on a shared machine.
	test.setTimeout(420_000);
	const stamp = String(Date.now()).slice(-8);
	const applicantPhone = `137${stamp}`;
	const respondentPhone = `136${stamp}`;
	const title = `秧苗受损纠纷 ${stamp.slice(-4)}`;

	// 接: the mediator files the matter at her desk.
	const mediator = await newPage(browser, baseURL!, false);
	await signIn(mediator, 'mediator');
	await expect(mediator).toHaveURL('/');
	await mediator.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: zh.nav_new_case, exact: true }).click();
	const place = mediator.getByLabel(`${zh.cw_place} *`);
	await place.selectOption((await place.locator('option', { hasText: '城南村' }).first().getAttribute('value'))!);
	await mediator.getByLabel(`${zh.cw_category} *`).selectOption({ label: '邻里纠纷' });
	await mediator.getByLabel(`${zh.cw_title} *`).fill(title);
	await mediator.getByLabel(`${zh.cw_description} *`).fill(`${RESPONDENT}放水淹了${APPLICANT}在𡈼字号田块的秧苗。`);
	const applicant = mediator.getByRole('group', { name: zh.cw_applicant_n.replace('{n}', '1'), exact: true });
	await applicant.getByLabel(zh.cw_party_name).fill(APPLICANT);
	await applicant.getByLabel(zh.cw_party_phone).fill(applicantPhone);
	const respondent = mediator.getByRole('group', { name: zh.cw_respondent_n.replace('{n}', '1'), exact: true });
	await respondent.getByLabel(zh.cw_party_name).fill(RESPONDENT);
	await respondent.getByLabel(zh.cw_party_phone).fill(respondentPhone);
	await mediator.getByRole('button', { name: zh.cw_submit, exact: true }).click();
	await expect(mediator).toHaveURL(/\/cases\/\d+$/);
	const casePath = new URL(mediator.url()).pathname;
	const caseId = casePath.split('/').pop()!;
	await expect(mediator.getByRole('heading', { level: 1, name: title })).toBeVisible();

	// The panel: the mediator invites the demo panelist, with the parties' consent (人民调解法 art. 20).
	await mediator.goto(`${casePath}/panel`);
	await mediator.getByRole('radio', { name: /黄福生/ }).check();
	await mediator.getByLabel(zh.pn_consent, { exact: true }).fill('双方当事人当面口头同意');
	await mediator.getByRole('button', { name: zh.pn_invite_submit, exact: true }).click();
	await expect(mediator.getByText(zh.pn_invited_done)).toBeVisible();

	// The panelist, on his phone: the invitation waits on his home page; two taps declare no conflict.
	const panelist = await newPage(browser, baseURL!, true);
	await signIn(panelist, 'panelist');
	await expect(panelist).toHaveURL('/');
	await expect(panelist.getByRole('banner').getByRole('link', { name: /^通知\s*，\s*\d+\s*条未读$/ })).toBeVisible();
	const invitation = panelist.locator('#notices li').filter({ hasText: '受邀参加' }).filter({ has: panelist.locator(`input[name="caseId"][value="${caseId}"]`) });
	await expect(invitation).toBeVisible();
	await look(panelist, testInfo, '1-panelist-home-invited');
	await invitation.getByLabel(zh.nt_declare_confirm).check();
	await invitation.getByRole('button', { name: zh.nt_declare_submit, exact: true }).click();
	await expect(panelist.getByRole('status').filter({ hasText: zh.nt_declared_done })).toBeVisible();
	await panelist.getByRole('navigation', { name: zh.nav_main }).getByRole('link', { name: zh.nt_nav_my_cases, exact: true }).click();
	await panelist.getByRole('link', { name: new RegExp(title) }).click();
	await expect(panelist).toHaveURL(casePath);
	await expect(panelist.getByText('您目前没有可以进行的操作。')).toHaveCount(0);
	await look(panelist, testInfo, '2-panelist-case');

	// A session, and its live record open on the mediator's desk.
	await mediator.goto(`${casePath}/sessions`);
	const tomorrow = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(new Date(Date.now() + 24 * 3600_000));
	await mediator.getByLabel(zh.ss_when, { exact: true }).fill(`${tomorrow}T09:30`);
	await mediator.getByLabel(zh.ss_location, { exact: true }).fill('城南村调解室');
	await mediator.getByRole('button', { name: zh.ss_schedule_submit, exact: true }).click();
	const openLive = mediator.getByRole('link', { name: zh.ss_open_live });
	await expect(openLive).toBeVisible();
	const sessionPath = (await openLive.getAttribute('href'))!;
	await mediator.goto(sessionPath);
	await expect(editor(mediator)).toHaveAttribute('contenteditable', 'true');

	// The party, on a cheap phone: from the sign-in page to "sign in with my phone", a code, her home page.
	const party = await newPage(browser, baseURL!, true);
	const admin = await newPage(browser, baseURL!, false);
	await signIn(admin, 'admin');
	await party.goto('/login');
	await party.getByRole('link', { name: zh.pt_login_link }).click();
	await party.getByLabel(zh.pt_phone_label, { exact: true }).fill(applicantPhone);
	await party.getByRole('button', { name: zh.pt_send, exact: true }).click();
	await expect(party.getByRole('status')).toHaveText(zh.pt_sent);
	await party.getByLabel(zh.pt_code_label, { exact: true }).fill(await codeFromOutbox(admin, applicantPhone));
	await party.getByRole('button', { name: zh.pt_submit, exact: true }).click();
	await expect(party).toHaveURL('/');
	const mine = party.getByRole('region', { name: zh.pt_my_cases });
	await expect(mine.getByRole('link', { name: title })).toBeVisible();
	await look(party, testInfo, '3-party-home');

	// She follows the record as it is written, and cannot change it.
	await mine.getByRole('link', { name: zh.pt_open_record }).click();
	await expect(party).toHaveURL(sessionPath);
	await expect(editor(party)).toHaveAttribute('contenteditable', 'false');
	await editor(mediator).click();
	await mediator.keyboard.press('ControlOrMeta+End');
	await mediator.keyboard.press('Enter');
	await mediator.keyboard.type(`调解员记录：${RESPONDENT}承认放水不当，愿意赔偿。`);
	await expect(editor(party)).toContainText(`${RESPONDENT}承认放水不当，愿意赔偿。`);
	await look(party, testInfo, '4-party-live-record');

	// The mediator drafts the agreement: facts typed live, one term, then frozen after confirming.
	await mediator.goto(`${casePath}/agreement`);
	await mediator.getByRole('button', { name: zh.ag_create }).click();
	await expect(mediator.getByTestId('live-draft')).toBeVisible();
	await mediator.locator('[data-field="facts"]').click();
	await mediator.keyboard.type(`${RESPONDENT}放水淹了${APPLICANT}的秧苗，双方对损失没有异议。`);
	await expect(mediator.getByTestId('live-draft').getByRole('status')).toHaveText(zh.record_save_saved);
	const termForm = mediator.locator('form').filter({ has: mediator.getByRole('button', { name: zh.ag_term_add_submit, exact: true }) });
	await termForm.getByLabel(zh.ag_term_obligor).selectOption({ label: RESPONDENT });
	await termForm.getByLabel(zh.ag_term_what).fill(TERM);
	await termForm.getByLabel(zh.ag_term_amount).fill('50000');
	const due = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(new Date(Date.now() + 30 * 24 * 3600_000));
	await termForm.getByLabel(zh.ag_term_due).fill(due);
	await termForm.getByRole('button', { name: zh.ag_term_add_submit, exact: true }).click();
	await expect(mediator.locator('ol.terms')).toContainText(TERM);
	await mediator.getByLabel(zh.wd_confirm_freeze).check();
	await mediator.getByRole('button', { name: zh.ag_freeze }).click();
	const hash = (await mediator.getByTestId('agreement-hash').textContent())!;
	expect(hash).toMatch(/^[0-9a-f]{64}$/);
	const respondentRow = mediator.locator('[data-testid^="signer-"]').filter({ hasText: RESPONDENT });
	await respondentRow.getByRole('button', { name: zh.ag_invite }).click();
	const link = (await respondentRow.locator('[data-testid^="invite-link-"]').getAttribute('href'))!;

	// The party reaches the agreement from her home page, draws with her finger, taps "我是 𠮷田春", taps once.
	await party.goto('/');
	await expect(mine).toContainText(zh.pt_agreement_frozen);
	await mine.getByRole('link', { name: zh.pt_open_agreement }).click();
	await expect(party.getByTestId('agreement-hash')).toHaveText(hash);
	const signHere = party.locator('section').filter({ has: party.getByRole('heading', { name: zh.ag_sign_as.replace('{name}', APPLICANT) }) });
	await drawWithFinger(party, signHere.locator('canvas'));
	await signHere.getByRole('checkbox', { name: zh.sg_confirm_name.replace('{name}', APPLICANT) }).tap();
	await look(party, testInfo, '5-party-signs');
	await signHere.getByRole('button', { name: zh.ag_sign_submit }).tap();
	await expect(party.locator('[data-testid^="signer-"]').filter({ hasText: APPLICANT })).toContainText(zh.ag_signed_at.split(' ')[0]);

	// The other party signs through his link with a code; then the mediator, and the seal: in effect.
	const other = await newPage(browser, baseURL!, true);
	await other.goto(new URL(link).pathname);
	await other.getByRole('button', { name: zh.sg_code_send }).tap();
	await expect(other.getByLabel(zh.sg_code_label)).toBeVisible();
	await other.getByLabel(zh.sg_code_label).fill(await codeFromOutbox(admin, respondentPhone));
	await other.getByRole('button', { name: zh.sg_code_submit }).tap();
	await other.getByRole('link', { name: zh.sg_go_sign }).tap();
	await drawWithFinger(other, other.locator('canvas'));
	await other.getByLabel(zh.sg_or_type_name).fill(RESPONDENT);
	await other.getByRole('button', { name: zh.sg_sign_submit }).tap();
	await expect(other.getByText(zh.sg_done_signed)).toBeVisible();

	await mediator.goto(`${casePath}/agreement`);
	const mediatorSection = mediator.locator('section').filter({ has: mediator.getByRole('heading', { name: zh.ag_mediator_sign_title }) });
	await drawWithMouse(mediatorSection.locator('canvas'));
	await mediatorSection.getByLabel(zh.ag_sign_name).fill('王秀英');
	await mediatorSection.getByRole('button', { name: zh.ag_mediator_sign_submit }).click();
	await expect(mediator.getByRole('status').filter({ hasText: zh.ag_status_effective })).toBeVisible();

	// The party downloads her own copy: every name and the term come back out of the PDF exactly.
	await party.goto('/');
	await expect(mine).toContainText(zh.pt_agreement_effective);
	await mine.getByRole('link', { name: zh.pt_open_agreement }).click();
	const downloading = party.waitForEvent('download');
	await party.locator('[data-testid^="copy-"]').first().tap();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe(`调解协议书-${(await mediator.locator('h1 + p strong').first().textContent())!.trim()}-${APPLICANT}.pdf`);
	const file = testInfo.outputPath('party-copy.pdf');
	await download.saveAs(file);
	const { flat } = await pdfText(new Uint8Array(readFileSync(file)));
	for (const exact of [APPLICANT, RESPONDENT, TERM, '人民币伍万元整', hash]) expect(flat, exact).toContain(exact);
	expect(flat).toContain(`本份由申请人${APPLICANT}收执`);
	await look(party, testInfo, '6-party-copy');
});
