/**
 * What someone types before the page's script has loaded survives hydration (on a slow phone connection
 * the form is there, and used, well before the script). Svelte's hydration sets every `value={…}` and
 * `checked={…}` afresh, wiping the typing; refilled fields use `defaultValue`, `defaultChecked` or a
 * binding instead (tests/unit/form-refill.test.ts keeps every page to that). Here, on the intake form:
 * the app's scripts are held back, fields of every kind are filled, the scripts are let through, and
 * once the page is hydrated (the "add another" button, which only the script renders, is there) the
 * typing must still be there.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Route } from '@playwright/test';
import { caseIdByTitle } from './demo-case';
import { expect, signIn, test } from './fixtures';

const cw: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/casework/zh-CN.json'), 'utf8'));

// The app's service worker would fetch the scripts itself, out of reach of page.route; it plays no part here.
test.use({ serviceWorkers: 'block' });

test('typing on the intake form before its script has loaded survives hydration', async ({ page }) => {
	// Routed from the start: routing turns off the browser's caches, so the intake page must fetch its
	// scripts again (they are held from then on), rather than take them from the sign-in page's load.
	const held: Route[] = [];
	let holding = false;
	let release: () => void = () => {};
	const released = new Promise<void>((done) => (release = done));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		if (holding) {
			held.push(route);
			await released;
		}
		await route.continue();
	});
	await signIn(page, 'mediator');
	await expect(page).toHaveURL('/');

	holding = true;
	await page.goto('/cases/new', { waitUntil: 'domcontentloaded' });
	await expect.poll(() => held.length, { message: 'the page asked for its scripts' }).toBeGreaterThan(0);
	await expect(page.getByRole('button', { name: cw.cw_add_applicant })).toHaveCount(0);

	const applicant = page.getByRole('group', { name: cw.cw_applicant_n.replace('{n}', '1'), exact: true });
	const typed: [ReturnType<typeof page.getByLabel>, string][] = [
		[page.getByLabel(`${cw.cw_title} *`), '宅基地围墙纠纷'],
		[page.getByLabel(`${cw.cw_description} *`), '围墙越过了宅基地界线约半米。'],
		[page.getByLabel(cw.cw_received, { exact: true }), '2026-01-05'],
		[page.getByLabel(cw.cw_repeat, { exact: true }), '2026-000001'],
		[applicant.getByLabel(cw.cw_party_name), '孙大伯'],
		[applicant.getByLabel(cw.cw_party_phone), '13907920011']
	];
	for (const [field, text] of typed) await field.fill(text);

	release();
	// Hydrated: the button exists only once the script runs.
	await expect(page.getByRole('button', { name: cw.cw_add_applicant })).toBeVisible();
	for (const [field, text] of typed) await expect(field).toHaveValue(text);
});

test('a section opened before the script has loaded stays open once the page is hydrated', async ({ page }) => {
	const held: Route[] = [];
	let holding = false;
	let release: () => void = () => {};
	const released = new Promise<void>((done) => (release = done));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		if (holding) {
			held.push(route);
			await released;
		}
		await route.continue();
	});
	await signIn(page, 'mediator');
	await expect(page).toHaveURL('/');
	const id = await caseIdByTitle(page);

	holding = true;
	await page.goto(`/cases/${id}`, { waitUntil: 'domcontentloaded' });
	await expect.poll(() => held.length, { message: 'the page asked for its scripts' }).toBeGreaterThan(0);
	const section = page.getByRole('region', { name: cw.cw_actions }).locator('details').first();
	await section.locator('summary').click();
	await expect(section).toHaveAttribute('open', '');

	release();
	await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
	await expect(section).toHaveAttribute('open', '');
});
