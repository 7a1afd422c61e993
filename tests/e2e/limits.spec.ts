import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, signIn, test } from './fixtures';

/** The security area's strings, as people read them. */
const sec: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/security/zh-CN.json'), 'utf8'));
const vf: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/outcomes/zh-CN.json'), 'utf8'));

test.use({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });

test('a verification answer on a phone shows the audit log position it was recorded at', async ({ page }, testInfo) => {
	await page.goto('/verify');
	await page.getByLabel(vf.vf_code, { exact: true }).fill('ABCD-EFGH-JKLM-NPQR');
	await page.getByRole('button', { name: vf.vf_submit, exact: true }).click();
	await expect(page.getByRole('heading', { name: vf.vf_unknown })).toBeVisible();
	const head = page.getByText(sec.sec_verify_head.split('{head}')[0]);
	await expect(head).toContainText(/\d+:[0-9a-f]{64}$/);
	// The 64-digit hash wraps inside the phone's width instead of widening the page.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await page.screenshot({ path: testInfo.outputPath('verify-head-phone.png'), fullPage: true });
});

test('a locked sign-in on a phone says in how many minutes to try again', async ({ page }, testInfo) => {
	// An unknown name has a budget of its own, so no demo account is locked for the other tests.
	for (let i = 0; i < 5; i++) await signIn(page, 'nobody.limits', `wrong-password-${i}`);
	await signIn(page, 'nobody.limits', 'wrong-password-5');
	await expect(page.getByRole('alert')).toHaveText(/^尝试次数过多，请 1[45] 分钟后再试。$/);
	await page.screenshot({ path: testInfo.outputPath('login-limited-phone.png'), fullPage: true });
});
