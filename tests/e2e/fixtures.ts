import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test as base, expect, type BrowserContext, type Cookie, type Page } from '@playwright/test';
import { SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/seed/demo';
import type { DatabaseKind } from '../support/app-database';

export { DEMO_ACCOUNTS, DEMO_PASSWORD, SESSION_COOKIE, expect };

/** The UI strings by message key, so a test checks the words people read without copying every label. */
const messages = (locale: 'zh-CN' | 'en'): Record<string, string> =>
	JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${locale}.json`), 'utf8'));
export const zh = messages('zh-CN');
export const en = messages('en');

type CookieToAdd = Parameters<BrowserContext['addCookies']>[0][number];

export interface E2eOptions {
	/** Which database the project's server (and the start acceptance) runs on. */
	databaseKind: DatabaseKind;
}

interface E2eFixtures {
	/** A new browser context (no shared state) carrying only the given cookie; closed after the test. */
	pageWithCookie: (cookie: CookieToAdd, baseURL?: string) => Promise<Page>;
}

export const test = base.extend<E2eFixtures, E2eOptions>({
	databaseKind: ['pglite', { option: true, scope: 'worker' }],
	pageWithCookie: async ({ browser, baseURL }, use) => {
		const contexts: BrowserContext[] = [];
		await use(async (cookie, url = baseURL) => {
			const context = await browser.newContext({ baseURL: url });
			contexts.push(context);
			await context.addCookies([cookie]);
			return context.newPage();
		});
		await Promise.all(contexts.map((context) => context.close()));
	}
});

/** Signs in through the form, as a person would, and waits for the answer; the caller checks where it lands. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD, labels = zh): Promise<void> {
	if (!page.url().endsWith('/login')) await page.goto('/login');
	await page.getByLabel(labels.login_field, { exact: true }).fill(login);
	await page.getByLabel(labels.login_password, { exact: true }).fill(password);
	// Wait for the server's answer, so a message left from an earlier attempt is never taken for this one's.
	const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
	await page.getByRole('button', { name: labels.login_submit, exact: true }).click();
	await answered;
}

export async function sessionCookie(context: BrowserContext): Promise<Cookie> {
	const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
	if (!cookie) throw new Error('no session cookie: the sign-in did not succeed');
	return cookie;
}

/**
 * The language switch: a form button whose visible text names the other language ("English" / "中文").
 * Found by its text because its accessible name is the aria-label "语言"/"Language".
 */
export const languageSwitch = (page: Page, to: 'English' | '中文') => page.getByRole('button').filter({ hasText: to });
