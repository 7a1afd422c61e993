/**
 * The outcome pages in a browser, on a phone screen in Chinese: a panelist gives a reasoned opinion on
 * the demo mediation (the only expected one, so it is revealed to the mediator and the party at once),
 * the mediator sees the outcome form and the follow-up page, and anyone checks a verification code on
 * the public page without an account. Screenshots of each are attached.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { caseIdByTitle } from './demo-case';
import { expect, signIn, test } from './fixtures';

const oc: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/outcomes/zh-CN.json'), 'utf8'));
test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
	const path = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path, fullPage: true });
	await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The demo mediation's case id, found as the agreement e2e finds it: the case page naming it. */
async function demoCaseId(page: Page): Promise<number> {
	return caseIdByTitle(page);
}

test('a panelist gives a reasoned opinion; the outcome, follow-up and verification pages read well on a phone', async ({ browser, baseURL }, testInfo) => {
	const panelistContext = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
	const panelist = await panelistContext.newPage();
	await signIn(panelist, 'panelist');
	await expect(panelist).toHaveURL('/');
	const id = await demoCaseId(panelist);
	await panelist.goto(`/cases/${id}/opinions`);
	await expect(panelist.getByRole('heading', { name: oc.op_title, level: 1 })).toBeVisible();
	await expect(panelist.getByText(oc.op_hidden_notice)).toBeVisible();
	// A submission without reasons is refused by the browser's own check first; give both.
	await panelist.getByLabel(oc.op_position_compromise).check();
	await panelist.getByLabel(oc.op_reasons, { exact: true }).fill('用水按田亩面积轮灌，上游每晚让出四小时，秧苗损失由双方各担一半。');
	await snap(panelist, testInfo, 'opinions-panelist-phone');
	await panelist.getByRole('button', { name: oc.op_submit }).click();
	await expect(panelist.getByText(oc.op_submitted_done)).toBeVisible();
	// The only expected member has submitted: the opinions are revealed.
	await expect(panelist.getByRole('heading', { name: oc.op_all_title })).toBeVisible();
	await panelistContext.close();

	const mediatorContext = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
	const mediator = await mediatorContext.newPage();
	await signIn(mediator, 'mediator');
	await expect(mediator).toHaveURL('/');
	await mediator.goto(`/cases/${id}/opinions`);
	await expect(mediator.getByText('上游每晚让出四小时', { exact: false })).toBeVisible();
	await snap(mediator, testInfo, 'opinions-revealed-phone');
	await mediator.goto(`/cases/${id}/outcome`);
	await expect(mediator.getByRole('heading', { name: oc.oc_record_title })).toBeVisible();
	await mediator.getByLabel(oc.oc_kind_failure).check();
	// Choosing a failure shows the art. 26 routes and the referral choice.
	await expect(mediator.getByText(oc.oc_routes_hint)).toBeVisible();
	await snap(mediator, testInfo, 'outcome-form-phone');
	await mediator.goto(`/cases/${id}/outcome/follow-up`);
	await expect(mediator.getByRole('heading', { name: oc.fu_title, level: 1 })).toBeVisible();
	await snap(mediator, testInfo, 'follow-up-phone');
	await mediatorContext.close();

	const anyone = await (await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
	await anyone.goto('/verify');
	await anyone.getByLabel(oc.vf_code, { exact: true }).fill('ABCD-EFGH-JKLM-NPQR');
	await anyone.getByRole('button', { name: oc.vf_submit, exact: true }).click();
	await expect(anyone.getByRole('heading', { name: oc.vf_unknown })).toBeVisible();
	await snap(anyone, testInfo, 'verify-unknown-phone');
	await anyone.context().close();
});
