import type { Page } from '@playwright/test';
import { DEMO_MEDIATION_CASE_TITLE } from '../../src/lib/server/seed/demo-mediation';

export { DEMO_MEDIATION_CASE_TITLE };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The id in the first link to `/cases/<id>` whose text holds `title`, in a page's HTML. */
function caseLinkTo(html: string, title: string): number | null {
	const found = html.match(new RegExp(`href="/cases/(\\d+)"[^>]*>(?:(?!</a>)[\\s\\S])*${escape(title)}`));
	return found ? Number(found[1]) : null;
}

/**
 * The id of a demo case, found by its title as its people find it: on their home page's own cases,
 * or else by searching the case list (staff). Ids depend on the order the seed ran in; titles do not.
 */
export async function caseIdByTitle(page: Page, title = DEMO_MEDIATION_CASE_TITLE): Promise<number> {
	for (const path of ['/', `/cases?q=${encodeURIComponent(title)}`]) {
		const response = await page.request.get(path);
		const id = response.ok() ? caseLinkTo(await response.text(), title) : null;
		if (id !== null) return id;
	}
	throw new Error(`no case titled ${title} is listed for this user: does the demo seed still create it?`);
}

/** The path of the demo mediation's session record, found from its case's sessions page. */
export async function demoSessionPath(page: Page): Promise<string> {
	const id = await caseIdByTitle(page);
	const response = await page.request.get(`/cases/${id}/sessions`);
	const session = response.ok() ? (await response.text()).match(/href="\/sessions\/(\d+)"/) : null;
	if (!session) throw new Error(`case ${id} (${DEMO_MEDIATION_CASE_TITLE}) lists no session: does the demo seed still schedule one?`);
	return `/sessions/${session[1]}`;
}

/** Every case id the case list shows this user (its first page), in list order. */
export async function listedCaseIds(page: Page): Promise<number[]> {
	const response = await page.request.get('/cases');
	if (!response.ok()) throw new Error(`the case list answered ${response.status()}`);
	return [...new Set([...(await response.text()).matchAll(/href="\/cases\/(\d+)"/g)].map((m) => Number(m[1])))];
}
