/**
 * Retention from the admin page (issue 17 §4), on a phone in Chinese: the county administrator finds
 * the page from the admin home, sees what is due and that it never ran, confirms and runs it, and then
 * sees nothing due and who ran it. Runs in the `proxy` project (tests/e2e/proxy-stack.ts): its database
 * is its own, so the county's policy and one matter closed long ago are set on it directly, as
 * `npm run retention -- --set` and years of work would.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { DEMO_MEDIATION_CASE_TITLE } from './demo-case';
import { DEMO_ACCOUNTS, expect, signIn } from './fixtures';
import { closePinned, pinnedPage, test } from './proxy-stack';

const rt: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/ops2/zh-CN.json'), 'utf8'));

test.afterEach(closePinned);

test('the administrator sees what retention would mask in the county, runs it after confirming, and sees it ran', async ({ stack, browser }, testInfo) => {
	test.setTimeout(120_000);
	const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
	let parties: number;
	try {
		await sql`insert into retention_policies (record_type, years) values ('closed_case_parties', 10) on conflict (record_type) do update set years = 10`;
		const [old] = await sql<{ id: number }[]>`select id from cases where title <> ${DEMO_MEDIATION_CASE_TITLE} order by id limit 1`;
		await sql`update cases set status = 'concluded', concluded_at = '2010-03-01T00:00:00Z', archived_at = null where id = ${old.id}`;
		[{ n: parties }] = await sql<{ n: number }[]>`select count(*)::int as n from case_parties where case_id = ${old.id} and personal_data_masked_at is null`;
	} finally {
		await sql.end();
	}
	expect(parties).toBeGreaterThan(0);

	const admin = await pinnedPage(browser, stack.origin, 'a', true);
	await signIn(admin, 'admin');
	await expect(admin).toHaveURL('/');
	await admin.goto('/admin');
	await admin.getByRole('link', { name: rt.rt_title }).click();
	await expect(admin.getByRole('heading', { level: 1, name: rt.rt_title })).toBeVisible();
	await expect(admin.getByText(rt.rt_policy_closed_case_parties.replace('{years}', '10'))).toBeVisible();
	await expect(admin.getByTestId('retention-due')).toContainText(`共 ${parties} 名当事人`);
	await expect(admin.getByTestId('retention-last-run')).toHaveText(rt.rt_never_run);
	expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await admin.screenshot({ path: testInfo.outputPath('retention-phone.png'), fullPage: true });

	// The box must be ticked: the browser will not send the form without it.
	const run = admin.getByRole('button', { name: rt.rt_run });
	await run.tap();
	await expect(admin.getByTestId('retention-last-run')).toHaveText(rt.rt_never_run);
	await admin.getByRole('checkbox', { name: rt.rt_confirm }).check();
	await run.tap();
	await expect(admin.getByRole('status').filter({ hasText: rt.rt_done.split('：')[0] })).toContainText(`${parties} 名当事人`);
	await expect(admin.getByTestId('retention-due')).toHaveText(rt.rt_nothing_due);
	const adminName = DEMO_ACCOUNTS.find((a) => a.username === 'admin')!.name;
	await expect(admin.getByTestId('retention-last-run')).toContainText(`由 ${adminName} 运行`);
});
