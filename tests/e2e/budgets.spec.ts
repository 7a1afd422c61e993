/**
 * Issue 19 §1: field conditions as a guarantee, on every route (tests/e2e/budgets.ts lists them).
 * - Budgets: a cold load (new context, empty cache) on a 360×740 phone, bytes as transferred from
 *   Chromium's own network events (CDP `Network.loadingFinished` encodedDataLength), JavaScript and
 *   total, and the request count; above the route's budget the test fails.
 * - Accessibility: axe-core on every route, in zh-CN and en and at phone and desktop size (each route
 *   in two of the four pairings: Chinese on a phone on the budget's own cold load, and one more, see
 *   AXE_PASSES); any serious or critical violation fails.
 * - 200 % zoom on the public pages: browser zoom halves the CSS width and doubles the device pixel
 *   ratio (a 360 px phone becomes 180 CSS px at DPR 4, a 1280 px window 640 CSS px at DPR 2), which is
 *   what a browser does when zooming; nothing may scroll sideways.
 * MEASURE=1 prints a table of the figures for the README.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContextOptions, Page } from '@playwright/test';
import { BUDGETS, KB, ROUTES, routeLabel, type Route } from './budgets';
import { DESKTOP, PHONE, expect, test } from './field-fixtures';

test.describe.configure({ mode: 'parallel' });

async function open(browser: import('@playwright/test').Browser, route: Route, cookiesFor: (w: string) => Promise<import('@playwright/test').Cookie[]>, url: string, options: BrowserContextOptions, locale = 'zh-CN') {
	const context = await browser.newContext({ ...options, baseURL: url });
	const who = route.visitor.kind === 'account' ? route.visitor.username : route.visitor.kind === 'signer' ? 'signer' : null;
	await context.addCookies([...(who ? await cookiesFor(who) : []), { name: 'PARAGLIDE_LOCALE', value: locale, url }]);
	return context;
}

interface Weight {
	js: number;
	total: number;
	requests: number;
}

/** Counts what the page transfers until the network is idle, from Chromium's own network events. */
async function weigh(page: Page, path: string): Promise<Weight> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	const types = new Map<string, string>();
	const weight: Weight = { js: 0, total: 0, requests: 0 };
	cdp.on('Network.requestWillBeSent', (e) => {
		weight.requests++;
		types.set(e.requestId, e.type ?? '');
	});
	cdp.on('Network.responseReceived', (e) => {
		if (e.response.mimeType.includes('javascript')) types.set(e.requestId, 'Script');
	});
	cdp.on('Network.loadingFinished', (e) => {
		weight.total += e.encodedDataLength;
		if (types.get(e.requestId) === 'Script') weight.js += e.encodedDataLength;
	});
	const response = await page.goto(path, { waitUntil: 'networkidle' });
	expect.soft(response?.status(), `${path} answers`).toBe(200);
	await cdp.detach();
	return weight;
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(0)} KB`;

test('the route list covers every page under src/routes', () => {
	const root = resolve(import.meta.dirname, '../../src/routes');
	const pages: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (name === '+page.svelte') pages.push(relative(root, dir));
		}
	};
	walk(root);
	expect(new Set(ROUTES.map((r) => r.route))).toEqual(new Set(pages));
});

/** axe-core on the page as it is: the serious and critical violations, each with where it was found. */
async function seriousViolations(page: Page): Promise<string[]> {
	// Only violations are read: axe skips gathering the details of passes and incomplete checks.
	const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// One test per half of the routes (the project's two workers share them), each route a step with soft
// assertions: a failing test restarts the worker and with it the app, so one run lists every route over
// budget instead of one per restart. The cold phone load the budget weighs is, as it stands, the first of
// the accessibility pairings (Chinese on a phone) and, for the public pages, the 100 % zoom check: one load
// serves all three.
for (const half of [0, 1]) {
	test(`budgets: every route within its JavaScript, total and request budget, and accessible in Chinese on a phone, routes of half ${half}`, async ({ browser, field, cookiesFor }) => {
		test.setTimeout(15 * 60_000);
		for (const route of ROUTES.filter((_, i) => i % 2 === half)) await test.step(routeLabel(route), async () => {
			const context = await open(browser, route, cookiesFor, field.url, PHONE);
			try {
				const page = await context.newPage();
				const weight = await weigh(page, route.path(field.ids, field.signPath));
				const budget = BUDGETS[route.budget];
				if (process.env.MEASURE) console.log(`| ${routeLabel(route)} | ${kb(weight.js)} | ${kb(weight.total)} | ${weight.requests} |`);
				expect.soft(weight.js, `JavaScript of ${routeLabel(route)} (${kb(weight.js)})`).toBeLessThanOrEqual(budget.js);
				expect.soft(weight.total, `total of ${routeLabel(route)} (${kb(weight.total)})`).toBeLessThanOrEqual(budget.total);
				expect.soft(weight.requests, `requests of ${routeLabel(route)}`).toBeLessThanOrEqual(budget.requests);
				expect.soft(await seriousViolations(page), `${routeLabel(route)}, zh-CN, phone`).toEqual([]);
				if (route.zoom) {
					const sideways = await sidewaysScroll(page);
					expect.soft(sideways, `${routeLabel(route)} scrolls sideways by ${sideways} px, phone`).toBeLessThanOrEqual(0);
				}
			} finally {
				await context.close();
			}
		});
	});
}

// The other three accessibility pairings, one test each over a third of the routes, each walking its routes
// with one browser context per visitor (signed in once per worker, see cookiesFor) and one tab, instead of
// a fresh context per route. Each route is a step with a soft assertion, so a run lists every finding at
// once. With the budget's pass every route is checked in both languages and at both sizes, in two of the
// four pairings (Chinese on a phone, and one of these by its place in the list), and all four pairings run:
// half the cost of the full cross.
const AXE_PASSES = [
	{ locale: 'en', size: 'desktop', options: DESKTOP, third: 0 },
	{ locale: 'zh-CN', size: 'desktop', options: DESKTOP, third: 1 },
	{ locale: 'en', size: 'phone', options: PHONE, third: 2 }
] as const;
for (const { locale, size, options, third } of AXE_PASSES) {
	test(`accessibility: no serious or critical axe violation, ${locale}, ${size}, routes of third ${third}`, async ({ browser, field, cookiesFor }) => {
		test.setTimeout(15 * 60_000);
		const byVisitor = new Map<string, Route[]>();
		for (const route of ROUTES.filter((_, i) => i % 3 === third)) byVisitor.set(JSON.stringify(route.visitor), [...(byVisitor.get(JSON.stringify(route.visitor)) ?? []), route]);
		for (const routes of byVisitor.values()) {
			const context = await open(browser, routes[0], cookiesFor, field.url, { ...options, locale }, locale);
			try {
				const page = await context.newPage();
				for (const route of routes) await test.step(routeLabel(route), async () => {
					const path = route.path(field.ids, field.signPath);
					const response = await page.goto(path, { waitUntil: 'networkidle' });
					expect.soft(response?.status(), path).toBe(200);
					expect.soft(await seriousViolations(page), `${routeLabel(route)}, ${locale}, ${size}`).toEqual([]);
				});
			} finally {
				await context.close();
			}
		}
	});
}

/** Browser zoom: CSS width ÷ 2, device pixels per CSS pixel × 2 (the phone at 100 % with normal text is the budget's load). */
const ZOOMED: [string, BrowserContextOptions, boolean[]][] = [
	['phone', PHONE, [true]],
	['phone at 200 %', { viewport: { width: 180, height: 370 }, deviceScaleFactor: 4, hasTouch: true, locale: 'zh-CN' }, [false, true]],
	['desktop at 200 %', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, locale: 'zh-CN' }, [false, true]]
];

// Each zoom and text size walks the public pages in one browser context per visitor, as the accessibility
// passes do: layout is what is checked here, not a cold load, and a context per page and size (85 of them)
// cost more than the pages themselves.
test('public pages: no sideways scrolling at 100 % and 200 % zoom, normal and large text', async ({ browser, field, cookiesFor }) => {
	test.setTimeout(15 * 60_000);
	const byVisitor = new Map<string, Route[]>();
	for (const route of ROUTES.filter((r) => r.zoom)) byVisitor.set(JSON.stringify(route.visitor), [...(byVisitor.get(JSON.stringify(route.visitor)) ?? []), route]);
	for (const [size, options, texts] of ZOOMED) {
		for (const large of texts) {
			for (const routes of byVisitor.values()) {
				const context = await open(browser, routes[0], cookiesFor, field.url, options);
				if (large) await context.addCookies([{ name: 'pingli_text', value: 'large', url: field.url }]);
				try {
					const page = await context.newPage();
					for (const route of routes) await test.step(`${routeLabel(route)}, ${size}${large ? ', large text' : ''}`, async () => {
						await page.goto(route.path(field.ids, field.signPath), { waitUntil: 'networkidle' });
						const sideways = await sidewaysScroll(page);
						expect.soft(sideways, `${routeLabel(route)} scrolls sideways by ${sideways} px, ${size}${large ? ', large text' : ''}`).toBeLessThanOrEqual(0);
					});
				} finally {
					await context.close();
				}
			}
		}
	}
});
