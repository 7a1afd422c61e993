/**
 * Issue 18 §3: signing that an elderly villager can finish, on a touch phone (360×740, zh-CN).
 * - A signature drawn with a finger (real touch events) is followed by ONE tap on the submit button,
 *   and that tap submits — on the party's account page and on the public signing link alike.
 * - A name a phone keyboard cannot type (𠮷田春) is confirmed by tapping "我是 𠮷田春".
 * - One-time codes are read by the administrator on /admin/outbox (the development outbox).
 *
 * Runs a server of its own: the demo mediation's applicant is renamed 𠮷田春 in the database before
 * the server starts (no page renames a party), and the shared server's demo agreement stays for
 * tests/e2e/agreement.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import { caseParties, cases } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { DEMO_MEDIATION_CASE_TITLE } from '../../src/lib/server/seed/demo-mediation';
import { createAppDatabase, openNewAppDatabase, type AppDatabase } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';
import { expect, signIn, test } from './fixtures';
import { codeFromOutbox, drawWithFinger } from './signing-helpers';

const read = (area: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${area}/zh-CN.json`), 'utf8'));
const ag = read('agreement');
const sg = read('signing');
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const RARE = '𠮷田春';

async function look(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('on a touch phone one tap after drawing submits, and 𠮷田春 confirms the name by tapping', async ({ browser, databaseKind }, testInfo) => {
	test.setTimeout(300_000);
	const database: AppDatabase = await createAppDatabase(databaseKind, { label: 'signing', adminUrl: process.env.E2E_DATABASE_URL });
	const contexts: BrowserContext[] = [];
	let app: AppProcess | undefined;
	const newPage = async (b: Browser, url: string, phone: boolean) => {
		const context = await b.newContext({ baseURL: url, ...(phone ? PHONE : { locale: 'zh-CN' }) });
		contexts.push(context);
		return context.newPage();
	};
	try {
		const opened = await openNewAppDatabase(database);
		let caseId: number;
		try {
			await seedDemo(opened.db, { onlyIfEmpty: true });
			[{ id: caseId }] = await opened.db.select({ id: cases.id }).from(cases).where(eq(cases.title, DEMO_MEDIATION_CASE_TITLE));
			await opened.db.update(caseParties).set({ name: RARE }).where(and(eq(caseParties.caseId, caseId), eq(caseParties.name, '孙大伯')));
		} finally {
			await opened.close();
		}
		app = spawnApp({ ...database.env, SEED_DEMO: 'never', SMS_OUTBOX: '1' });
		const url = await app.ready;
		const path = `/cases/${caseId}/agreement`;

		// The mediator freezes the agreement and makes a link for the respondent, who has no account.
		const mediator = await newPage(browser, url, false);
		await signIn(mediator, 'mediator');
		await mediator.goto(path);
		await mediator.getByLabel(read('wording').wd_confirm_freeze).check();
		await mediator.getByRole('button', { name: ag.ag_freeze }).click();
		await expect(mediator.getByTestId('agreement-hash')).toHaveText(/^[0-9a-f]{64}$/);
		const row = mediator.locator('[data-testid^="signer-"]').filter({ hasText: '钱某' });
		await row.getByRole('button', { name: ag.ag_invite }).click();
		const link = (await row.locator('[data-testid^="invite-link-"]').getAttribute('href'))!;

		// The applicant 𠮷田春 signs on their own account's page with a finger, taps "我是 𠮷田春", taps submit once.
		const applicant = await newPage(browser, url, true);
		await signIn(applicant, 'party');
		await applicant.goto(path);
		const mine = applicant.locator('section').filter({ has: applicant.getByRole('heading', { name: ag.ag_sign_as.replace('{name}', RARE) }) });
		await expect(mine.getByText(ag.ag_pad_hint)).toBeVisible();
		await drawWithFinger(applicant, mine.locator('canvas'));
		await mine.getByRole('checkbox', { name: sg.sg_confirm_name.replace('{name}', RARE) }).tap();
		await expect(mine.getByLabel(sg.sg_or_type_name)).toHaveCount(0);
		await look(applicant, testInfo, 'sign-account-touch-phone');
		const submit = mine.getByRole('button', { name: ag.ag_sign_submit });
		await expect(submit).toBeEnabled();
		await submit.tap();
		// The form goes once the party has signed; their row says so.
		await expect(applicant.locator('[data-testid^="signer-"]').filter({ hasText: RARE })).toContainText(ag.ag_signed_at.split(' ')[0]);

		// The respondent signs through the link: code from the admin's outbox, a finger, a typed name, one tap.
		const admin = await newPage(browser, url, false);
		await signIn(admin, 'admin');
		const party = await newPage(browser, url, true);
		await party.goto(new URL(link).pathname);
		await party.getByRole('button', { name: ag.sg_code_send }).tap();
		await expect(party.getByLabel(ag.sg_code_label)).toBeVisible();
		await party.getByLabel(ag.sg_code_label).fill(await codeFromOutbox(admin, '13907920033'));
		await party.getByRole('button', { name: ag.sg_code_submit }).tap();
		await party.getByRole('link', { name: ag.sg_go_sign }).tap();
		await expect(party.getByRole('heading', { name: ag.sg_step_sign })).toBeVisible();
		await drawWithFinger(party, party.locator('canvas'));
		await party.getByLabel(sg.sg_or_type_name).fill('钱 某');
		await look(party, testInfo, 'sign-link-touch-phone');
		const send = party.getByRole('button', { name: ag.sg_sign_submit });
		await expect(send).toBeEnabled();
		await send.tap();
		await expect(party.getByText(ag.sg_done_signed)).toBeVisible();
	} finally {
		await Promise.all(contexts.map((c) => c.close()));
		await app?.stop('SIGKILL');
		await database.dispose();
	}
});
