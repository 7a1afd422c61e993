import type { CDPSession, Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * The newest one-time code texted to `phone`, as the administrator reads it on the development outbox
 * (/admin/outbox, SMS_OUTBOX=1). The page is read again until a code is there: the request that sends
 * it may still be on its way. Callers that ask for a second code wait for its answer first.
 */
export async function codeFromOutbox(admin: Page, phone: string): Promise<string> {
	let code: string | undefined;
	await expect
		.poll(
			async () => {
				await admin.goto(`/admin/outbox?phone=${phone}`);
				const texts = await admin.getByRole('listitem').filter({ hasText: '验证码是' }).allTextContents();
				code = /验证码是 (\d{6})/.exec(texts[0] ?? '')?.[1];
				return code;
			},
			{ message: `a code texted to ${phone}` }
		)
		.toBeTruthy();
	return code!;
}

/**
 * The pad draws only once the page's script has mounted it; strokes before that land on a bare canvas
 * and leave the hidden field empty. The root layout marks a hydrated page (`html[data-hydrated]`).
 */
async function padReady(page: Page, canvas: Locator): Promise<void> {
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	await canvas.scrollIntoViewIfNeeded();
}

/** A zigzag drawn with one finger through Chromium's touch input (touchstart → touchmove… → touchend). */
export async function drawWithFinger(page: Page, canvas: Locator): Promise<void> {
	await padReady(page, canvas);
	const box = (await canvas.boundingBox())!;
	const cdp: CDPSession = await page.context().newCDPSession(page);
	const at = (i: number) => ({ x: box.x + 30 + i * ((box.width - 60) / 12), y: box.y + (i % 2 ? 40 : box.height - 40) });
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0)] });
	for (let i = 1; i <= 12; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(i)] });
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await cdp.detach();
}

/** A zigzag drawn with the mouse, as at a desk. */
export async function drawWithMouse(canvas: Locator): Promise<void> {
	const page = canvas.page();
	await padReady(page, canvas);
	const box = (await canvas.boundingBox())!;
	await page.mouse.move(box.x + 30, box.y + box.height / 2);
	await page.mouse.down();
	for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 30 + i * ((box.width - 60) / 12), box.y + (i % 2 ? 40 : box.height - 40), { steps: 4 });
	await page.mouse.up();
}
