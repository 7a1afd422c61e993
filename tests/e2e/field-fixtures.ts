import type { Browser, BrowserContextOptions, Cookie, Page } from '@playwright/test';
import { DEMO_PASSWORD, test as base } from './fixtures';
import { startFieldApp, type FieldApp } from './field-app';
import { codeFromOutbox } from './signing-helpers';

export { expect } from './fixtures';

/** Chromium as a party's phone: 360×740 CSS px, touch, Chinese. */
export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

interface FieldWorker {
	/** The app of its own (tests/e2e/field-app.ts), one per worker. */
	field: FieldApp;
	/**
	 * The cookies that put a visitor in place: a demo account's session (signed in once through the
	 * form), or the signing link's grant after a code read from the outbox. Cached per worker.
	 */
	cookiesFor: (who: string) => Promise<Cookie[]>;
}

export const test = base.extend<object, FieldWorker>({
	field: [
		async ({ databaseKind }, use) => {
			const { app, stop } = await startFieldApp(databaseKind);
			await use(app);
			await stop();
		},
		{ scope: 'worker', timeout: 300_000 }
	],
	cookiesFor: [
		async ({ browser, field }, use) => {
			const cache = new Map<string, Promise<Cookie[]>>();
			await use((who) => {
				if (!cache.has(who)) cache.set(who, who === 'signer' ? signerCookies(browser, field) : accountCookies(browser, field.url, who));
				return cache.get(who)!;
			});
		},
		{ scope: 'worker' }
	]
});

async function accountCookies(browser: Browser, url: string, username: string): Promise<Cookie[]> {
	const context = await browser.newContext({ baseURL: url });
	const page = await context.newPage();
	await signInAs(page, username);
	const cookies = await context.cookies();
	await context.close();
	return cookies;
}

/** Through the form (the same request the shared helper makes), without its locale-bound labels. */
async function signInAs(page: Page, username: string): Promise<void> {
	await page.goto('/login');
	await page.locator('input[name="login"]').fill(username);
	await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.locator('form:has(input[name="password"]) button[type="submit"]').click()]);
}

/** The respondent on their signing link, past the one-time code: the grant cookie of that link. */
async function signerCookies(browser: Browser, field: FieldApp): Promise<Cookie[]> {
	const context = await browser.newContext({ baseURL: field.url });
	const page = await context.newPage();
	await enterSigningCode(page, browser, field);
	const cookies = await context.cookies();
	await context.close();
	return cookies;
}

/** Asks for a code on the signing link, reads it on the outbox as the admin, and enters it. */
export async function enterSigningCode(page: Page, browser: Browser, field: FieldApp): Promise<void> {
	await page.goto(field.signPath);
	await page.locator('form[action="?/send"] button').click();
	await page.locator('#code').waitFor();
	const adminContext = await browser.newContext({ baseURL: field.url });
	await adminContext.addCookies(await accountCookies(browser, field.url, 'admin'));
	const code = await codeFromOutbox(await adminContext.newPage(), '13907920033');
	await adminContext.close();
	await page.locator('#code').fill(code);
	await page.locator('form[action="?/verify"] button').click();
	await page.getByTestId('agreement-text').waitFor();
}
