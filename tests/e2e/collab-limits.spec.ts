/**
 * Acceptance (issue 12): a live record closed by one of the server's limits says why, on a phone in
 * Chinese (that y-websocket does not reconnect on these codes is proven in
 * tests/integration/collab-budgets.test.ts). Twenty live sockets held by one tab fill the person's cap
 * (20 per instance); the record opened in another tab is then told there are too many windows open.
 * The county supervisor is used because no other spec opens live records as them (the cap is per person).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { demoSessionPath } from './demo-case';
import { expect, signIn, test } from './fixtures';

const cb: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/collab/zh-CN.json'), 'utf8'));
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };

test('a record past the per-person socket cap says there are too many windows open', async ({ browser, baseURL }, testInfo) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ baseURL, ...PHONE });
	try {
		const holder = await context.newPage();
		await signIn(holder, 'county.supervisor');
		await expect(holder).toHaveURL('/');
		const sessionId = Number((await demoSessionPath(holder)).split('/').at(-1));
		// Twenty sockets, each admitted (the server's first message arrived) before the record opens.
		const admitted = await holder.evaluate(async (doc) => {
			const url = `${location.origin.replace(/^http/, 'ws')}/collab/${doc}`;
			const sockets = Array.from({ length: 20 }, () => new WebSocket(url));
			(window as unknown as { held: WebSocket[] }).held = sockets;
			const first = (ws: WebSocket) =>
				new Promise<boolean>((r) => {
					ws.onmessage = () => r(true);
					ws.onclose = () => r(false);
				});
			return (await Promise.all(sockets.map(first))).filter(Boolean).length;
		}, `record:${sessionId}`);
		expect(admitted).toBe(20);

		const page = await context.newPage();
		await page.goto(`/sessions/${sessionId}`);
		const alert = page.getByRole('alert').filter({ hasText: cb.cb_too_many_windows });
		await expect(alert).toBeVisible();
		await alert.scrollIntoViewIfNeeded();
		const path = testInfo.outputPath('too-many-windows.png');
		await page.screenshot({ path, fullPage: false });
		await testInfo.attach('too-many-windows', { path, contentType: 'image/png' });
	} finally {
		await context.close();
	}
});
