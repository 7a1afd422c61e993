import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';

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
