/**
 * Acceptance (issue 5): signing the mediation agreement in real browsers against the production build.
 * The mediator freezes the demo mediation's draft agreement (seed/demo-agreement.ts) and makes a signing
 * link for each party; each party, in their own phone-sized browser context without an account, opens
 * their link, gets a one-time code (read here by the administrator on /admin/outbox, where the development
 * sender keeps it: the mediator never sees a party's code), reads the frozen text and its hash, draws a signature with the mouse and signs; the
 * mediator then signs and the committee's seal is applied, and the agreement is in effect.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { pdfText } from '../support/pdf-read';
import { caseIdByTitle } from './demo-case';
import { expect, signIn, test } from './fixtures';
import { codeFromOutbox, drawWithMouse } from './signing-helpers';

const ag: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/agreement/zh-CN.json'), 'utf8'));
const sg: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/signing/zh-CN.json'), 'utf8'));
const wd: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/wording/zh-CN.json'), 'utf8'));
const oc: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/outcomes/zh-CN.json'), 'utf8'));
const docs: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/documents/zh-CN.json'), 'utf8'));
const sl: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/sealing/zh-CN.json'), 'utf8'));
// A phone-sized screen; the signature is drawn with the mouse (Playwright's touch API only taps).
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };
const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k) => values[k]);

const contexts: BrowserContext[] = [];
test.afterAll(async () => {
	await Promise.all(contexts.map((c) => c.close()));
});

async function newPage(browser: Browser, baseURL: string, phone: boolean): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...(phone ? PHONE : {}) });
	contexts.push(context);
	return context.newPage();
}

/** The demo case's agreement page, found as the mediator would reach it: the one naming the demo case. */
async function findAgreement(page: Page): Promise<string> {
	return `/cases/${await caseIdByTitle(page)}/agreement`;
}

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('a frozen agreement is signed by two parties through their links and codes, then by the mediator with the seal: it takes effect', async ({ browser, baseURL }, testInfo) => {
	// Three people, two codes each and a PDF per party: longer than one page's work.
	test.setTimeout(150_000);
	const mediator = await newPage(browser, baseURL!, false);
	await signIn(mediator, 'mediator');
	await expect(mediator).toHaveURL('/');
	const path = await findAgreement(mediator);
	await mediator.goto(path);
	await expect(mediator.getByRole('heading', { name: ag.ag_title, level: 1 })).toBeVisible();

	// Freeze: the hash is shown to everyone.
	await mediator.getByRole('checkbox', { name: wd.wd_confirm_freeze }).check();
	await mediator.getByRole('button', { name: ag.ag_freeze }).click();
	const hashBox = mediator.getByTestId('agreement-hash');
	await expect(hashBox).toHaveText(/^[0-9a-f]{64}$/);
	const hash = (await hashBox.textContent())!;
	await expect(mediator.getByTestId('agreement-text')).toContainText('赔偿孙大伯秧苗受旱损失');

	// A signing link per party (shown once to the mediator).
	const parties = [
		{ name: '孙大伯', phone: '13800138009' },
		{ name: '钱某', phone: '13907920033' }
	];
	const links: string[] = [];
	for (const p of parties) {
		const row = mediator.locator('[data-testid^="signer-"]').filter({ hasText: p.name });
		await row.getByRole('button', { name: ag.ag_invite }).click();
		const link = row.locator('[data-testid^="invite-link-"]');
		await expect(link).toBeVisible();
		links.push((await link.getAttribute('href'))!);
	}
	const admin = await newPage(browser, baseURL!, false);
	await signIn(admin, 'admin');

	// Each party, on their own phone, without an account.
	const partyPages: Page[] = [];
	for (const [i, p] of parties.entries()) {
		const party = await newPage(browser, baseURL!, true);
		partyPages.push(party);
		await party.goto(new URL(links[i]).pathname);
		await expect(party.getByText(fill(ag.sg_hello, { name: p.name }))).toBeVisible();
		if (i === 0) await snap(party, testInfo, 'sign-1-code-phone');
		await party.getByRole('button', { name: ag.sg_code_send }).click();
		await expect(party.getByLabel(ag.sg_code_label)).toBeVisible();

		const code = await codeFromOutbox(admin, p.phone);
		await party.getByLabel(ag.sg_code_label).fill(code);
		await party.getByRole('button', { name: ag.sg_code_submit }).click();

		await expect(party.getByRole('heading', { name: ag.sg_step_read })).toBeVisible();
		await expect(party.getByTestId('agreement-hash')).toHaveText(hash);
		await expect(party.getByTestId('agreement-text')).toContainText(p.name);
		if (i === 0) await snap(party, testInfo, 'sign-2-read-phone');
		await party.getByRole('link', { name: ag.sg_go_sign }).click();

		await expect(party.getByRole('heading', { name: ag.sg_step_sign })).toBeVisible();
		const submit = party.getByRole('button', { name: ag.sg_sign_submit });
		await expect(submit).toBeDisabled();
		await drawWithMouse(party.locator('canvas'));
		await party.getByLabel(sg.sg_or_type_name).fill(p.name);
		if (i === 0) await snap(party, testInfo, 'sign-3-sign-phone');
		await expect(submit).toBeEnabled();
		await submit.click();
		await expect(party.getByText(ag.sg_done_signed)).toBeVisible();
		if (i === 0) await snap(party, testInfo, 'sign-4-done-phone');
	}

	// The mediator signs last; the seal is applied and the agreement takes effect.
	await mediator.goto(path);
	for (const p of parties) {
		await expect(mediator.locator('[data-testid^="signer-"]').filter({ hasText: p.name })).toContainText(ag.ag_signed_at.split(' ')[0]);
	}
	const mediatorSection = mediator.locator('section').filter({ has: mediator.getByRole('heading', { name: ag.ag_mediator_sign_title }) });
	await drawWithMouse(mediatorSection.locator('canvas'));
	await mediatorSection.getByLabel(ag.ag_sign_name).fill('王秀英');
	await mediatorSection.getByRole('button', { name: ag.ag_mediator_sign_submit }).click();
	await expect(mediator.getByRole('status').filter({ hasText: ag.ag_status_effective })).toBeVisible();
	await expect(mediator.getByRole('img', { name: fill(ag.ag_seal_alt, { committee: '城南村人民调解委员会' }) })).toBeVisible();
	await expect(mediator.getByTestId('agreement-hash')).toHaveText(hash);
	await snap(mediator, testInfo, 'agreement-effective');
	await expect(mediator.getByRole('link', { name: ag.ag_copy_committee })).toBeVisible();

	// Each party downloads their own copy through their link: a PDF naming them as its holder, with the hash.
	for (const [i, p] of parties.entries()) {
		const party = partyPages[i];
		await party.reload();
		await expect(party.getByText(ag.sg_effective)).toBeVisible();
		// The copy needs a fresh code, like signing: the link alone opens nothing.
		await expect(party.getByRole('link', { name: ag.sg_download_copy })).toHaveCount(0);
		await expect(party.getByText(sg.sg_copy_code_intro)).toBeVisible();
		// Wait for the server's answer, so the outbox is read after the new code is in it.
		const sent = party.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/send'));
		await party.getByRole('button', { name: ag.sg_code_resend }).click();
		await sent;
		await party.getByLabel(ag.sg_code_label).fill(await codeFromOutbox(admin, p.phone));
		await party.getByRole('button', { name: ag.sg_code_submit }).click();
		if (i === 0) await snap(party, testInfo, 'sign-5-copy-phone');
		const downloading = party.waitForEvent('download');
		await party.getByRole('link', { name: ag.sg_download_copy }).click();
		const download = await downloading;
		const file = testInfo.outputPath(`copy-${i}.pdf`);
		await download.saveAs(file);
		expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
		// A name a person recognises: the document, the case number and whose copy it is.
		expect(download.suggestedFilename()).toMatch(new RegExp(`^调解协议书-\\d{4}-\\d{6}-${p.name}\\.pdf$`));
		const { flat } = await pdfText(new Uint8Array(readFileSync(file)));
		expect(flat).toContain(`本份由${i === 0 ? '申请人' : '被申请人'}${p.name}收执`);
		expect(flat).toContain(hash);
		// Sealed with the demo's 演示 certificate and time-stamped (issue 22): Debian's pdfsig checks it offline.
		expect(flat).toContain('签署过程记录');
		const report = execFileSync('pdfsig', [file]).toString();
		expect(report).toContain('Signature is Valid.');
		expect(report).toContain('Total document signed');
		expect(report).toContain('（演示）');
		if (i > 0) continue;
		// The party checks the file on the public verification page, on the phone: valid, theirs, sealed.
		await party.goto('/verify');
		await party.getByLabel(oc.vf_file).setInputFiles(file);
		await party.getByRole('button', { name: oc.vf_submit_file }).click();
		await expect(party.getByRole('heading', { name: oc.vf_valid })).toBeVisible();
		await expect(party.getByText('申请人 孙**', { exact: true })).toBeVisible();
		await expect(party.getByText(fill(sl.vf_seal_valid, { signer: '永修县人民调解委员会（演示）' }), { exact: false })).toBeVisible();
		await snap(party, testInfo, 'verify-upload-valid-phone');
		// One byte of the page changed: the seal no longer holds, and the page says so.
		const bytes = readFileSync(file);
		bytes[bytes.indexOf('stream', 200) + 20] ^= 1;
		const tampered = testInfo.outputPath('copy-tampered.pdf');
		writeFileSync(tampered, bytes);
		await party.getByLabel(oc.vf_file).setInputFiles(tampered);
		await party.getByRole('button', { name: oc.vf_submit_file }).click();
		await expect(party.getByRole('heading', { name: sl.vf_tampered })).toBeVisible();
		await expect(party.getByRole('heading', { name: oc.vf_valid })).toHaveCount(0);
		await snap(party, testInfo, 'verify-upload-tampered-phone');
	}

	// The mediator follows the terms up from the effective date, with art. 33's 30 days shown.
	await mediator.setViewportSize(PHONE.viewport);
	await mediator.goto(path.replace(/\/agreement$/, '/outcome/follow-up'));
	await expect(mediator.getByRole('heading', { name: oc.fu_terms_title })).toBeVisible();
	await expect(mediator.getByText(oc.fu_confirm_hint)).toBeVisible();
	await expect(mediator.getByRole('link', { name: oc.fu_copy_committee })).toBeVisible();
	await snap(mediator, testInfo, 'follow-up-effective-phone');

	// Recording the outcome starts from what was signed: a written agreement, its terms filled in.
	await mediator.goto(path.replace(/\/agreement$/, '/outcome'));
	await expect(mediator.getByRole('radio', { name: oc.oc_kind_written_agreement })).toBeChecked();
	await expect(mediator.getByText(docs.doc_outcome_from_agreement)).toBeVisible();
	await expect(mediator.getByLabel(oc.oc_content)).toHaveValue(/^五、协议条款\n第1条/);
	await mediator.getByLabel(oc.oc_content).scrollIntoViewIfNeeded();
	await snap(mediator, testInfo, 'outcome-prefilled-phone');
});
