/**
 * A name with characters a phone's fonts may lack (𠮷 U+20BB7, 䶮 U+4DAE, 𡈼 U+2123C) is drawn with
 * the server's subset fonts: on a 360×740 phone in Chinese, the page of a newly filed case asks
 * /fonts/rare for exactly those characters, and the faces load.
 */
import { fileCaseAs } from './file-case';
import { expect, sessionCookie, signIn, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const APPLICANT = '𠮷田春';
const RESPONDENT = '䶮明';

test('the page of a case with 𠮷田春 and 䶮明 loads the rare-character fonts', async ({ browser, baseURL }, testInfo) => {
	const context = await browser.newContext({ baseURL, ...PHONE });
	const page = await context.newPage();
	await signIn(page, 'mediator');
	await expect(page).toHaveURL('/');

	const stamp = String(Date.now()).slice(-8);
	const casePath = await fileCaseAs(page, {
		place: '城南村',
		title: `秧苗受损纠纷 ${stamp.slice(-4)}`,
		description: `${RESPONDENT}放水淹了${APPLICANT}在𡈼字号田块的秧苗。`,
		applicant: { name: APPLICANT, phone: `137${stamp}` },
		respondent: { name: RESPONDENT, phone: `136${stamp}` }
	});

	// The case page opened afresh on another phone signed in as the same person: nothing cached.
	const fresh = await browser.newContext({ baseURL, ...PHONE });
	await fresh.addCookies([await sessionCookie(context)]);
	await context.close();
	const phone = await fresh.newPage();
	const fontRequests: { search: string; status: number }[] = [];
	phone.on('response', (r) => {
		const url = new URL(r.url());
		if (url.pathname === '/fonts/rare') fontRequests.push({ search: url.search, status: r.status() });
	});
	await phone.goto(casePath);
	await expect(phone.getByText(APPLICANT).first()).toBeVisible();
	// document.fonts.check() is also true while no face of the family exists yet (nothing to load), so wait
	// for the three answers and the three loaded faces themselves before checking them.
	await expect.poll(() => fontRequests.length).toBe(3);
	await expect
		.poll(() => phone.evaluate(() => [...document.fonts].filter((f) => f.family.includes('Pingli Rare') && f.status === 'loaded').length))
		.toBe(3);
	expect(await phone.evaluate(() => document.fonts.check('16px "Pingli Rare"', '𠮷') && document.fonts.check('16px "Pingli Rare A"', '𠮷'))).toBe(true);
	// Exactly the rare characters on the page, sorted: 䶮 (Ext A), 𠮷, 𡈼 (Ext B); one request per chain font.
	expect(fontRequests.map((r) => r.search).sort()).toEqual(['?f=0&c=4dae.20bb7.2123c', '?f=1&c=4dae.20bb7.2123c', '?f=2&c=4dae.20bb7.2123c']);
	expect(fontRequests.every((r) => r.status === 200)).toBe(true);
	const loaded = await phone.evaluate(() => [...document.fonts].filter((f) => f.family.includes('Pingli Rare')).map((f) => `${f.family.replaceAll('"', '')}:${f.status}`));
	expect(loaded.sort()).toEqual(['Pingli Rare A:loaded', 'Pingli Rare B:loaded', 'Pingli Rare:loaded']);

	const path = testInfo.outputPath('rare-font-case.png');
	// Where the names are: the description and the parties.
	await phone.getByText(APPLICANT).last().scrollIntoViewIfNeeded();
	await phone.screenshot({ path });
	await testInfo.attach('rare-font-case', { path, contentType: 'image/png' });
	await fresh.close();
});
