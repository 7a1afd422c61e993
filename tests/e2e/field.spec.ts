/**
 * Issue 19 §3–5 on a 360×740 phone in Chinese: read aloud, large text, and signing on a link that drops.
 *
 * Read aloud: headless Chromium may have no voices at all, so the app is tested against a stand-in
 * `speechSynthesis` put in by the test (page.addInitScript), never by the app: it has one zh-CN voice,
 * records every utterance and lets the test end one (as the voice would) when it chooses. That checks
 * the order of the sentences, the highlight, pause/resume and the words for amounts. A second stand-in
 * has only an English voice: the button must say the device has no Chinese voice.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, PHONE, test } from './field-fixtures';
import { drawWithFinger } from './signing-helpers';

interface SpeechLog {
	spoken: { text: string; lang: string; voice: string | null }[];
	cancels: number;
}

/** Replaces speechSynthesis before any page script runs; `voiceLang` is the one voice the device has. */
async function fakeSpeech(context: BrowserContext, voiceLang: string): Promise<void> {
	await context.addInitScript((lang) => {
		const log = { spoken: [] as { text: string; lang: string; voice: string | null }[], cancels: 0 };
		let current: { onend?: ((e: unknown) => void) | null } | null = null;
		const voice = { lang, name: `stand-in ${lang}`, voiceURI: `stand-in-${lang}`, default: true, localService: true };
		class Utterance {
			text: string;
			lang = '';
			voice: { name: string } | null = null;
			rate = 1;
			onend: ((e: unknown) => void) | null = null;
			onerror: ((e: unknown) => void) | null = null;
			constructor(text: string) {
				this.text = text;
			}
		}
		const synth = {
			getVoices: () => [voice],
			speak(u: Utterance) {
				log.spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? null });
				current = u;
			},
			cancel() {
				log.cancels++;
				current = null;
			},
			pause() {},
			resume() {},
			addEventListener() {}
		};
		Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
		Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
		Object.defineProperty(window, '__speech', {
			value: {
				log,
				/** The voice finishes the sentence it is saying. */
				finish() {
					const u = current;
					current = null;
					u?.onend?.({});
				}
			}
		});
	}, voiceLang);
}

const speech = (page: Page) => page.evaluate(() => (window as unknown as { __speech: { log: SpeechLog } }).__speech.log);
const finish = (page: Page) => page.evaluate(() => (window as unknown as { __speech: { finish(): void } }).__speech.finish());
const highlighted = (page: Page) =>
	page.evaluate(() => {
		const h = CSS.highlights.get('read-aloud');
		return h ? [...h].map((r) => r.toString()) : [];
	});

test('read aloud on the signing link: sentence by sentence, highlighted, paused and resumed, amounts in words', async ({ browser, field, cookiesFor }) => {
	const context = await browser.newContext({ ...PHONE, baseURL: field.url });
	await fakeSpeech(context, 'zh-CN');
	// Past the one-time code (read from the outbox once per worker: a link may ask for only 3 an hour).
	await context.addCookies(await cookiesFor('signer'));
	const page = await context.newPage();
	await page.goto(field.signPath);

	await page.getByRole('button', { name: '朗读' }).click();
	await expect.poll(async () => (await speech(page)).spoken.length).toBe(1);
	const first = (await speech(page)).spoken[0];
	expect(first.lang).toBe('zh-CN');
	expect(first.voice).toBe('stand-in zh-CN');
	// What is highlighted is the sentence being said, where it stands in the agreement's text.
	const text = (await page.getByTestId('agreement-text').textContent())!;
	const [mark] = await highlighted(page);
	expect(mark.length).toBeGreaterThan(0);
	expect(text.trimStart().startsWith(mark)).toBe(true);
	await expect(page.getByTestId('read-aloud-status')).toContainText('正在朗读第 1 句');

	// The voice ends each sentence; the next one follows and the highlight moves with it, in text order.
	let at = text.indexOf(mark) + mark.length;
	for (let i = 2; i <= 4; i++) {
		await finish(page);
		await expect.poll(async () => (await speech(page)).spoken.length).toBe(i);
		const [now] = await highlighted(page);
		const where = text.indexOf(now, at);
		expect(where, `sentence ${i} (${now}) comes after the one before`).toBeGreaterThanOrEqual(at);
		at = where + now.length;
		await expect(page.getByTestId('read-aloud-status')).toContainText(`正在朗读第 ${i} 句`);
	}

	// Pause: the voice is stopped and nothing more is said, whatever the voice reports.
	const before = (await speech(page)).spoken.length;
	const [pausedAt] = await highlighted(page);
	await page.getByRole('button', { name: '暂停' }).click();
	await expect(page.getByTestId('read-aloud-status')).toContainText('已暂停在第 4 句');
	expect((await speech(page)).cancels).toBeGreaterThan(0);
	await finish(page);
	expect((await speech(page)).spoken.length).toBe(before);
	// Resume says the paused sentence again from its start, still highlighted.
	await page.getByRole('button', { name: '继续' }).click();
	await expect.poll(async () => (await speech(page)).spoken.length).toBe(before + 1);
	const log = await speech(page);
	expect(log.spoken[before].text).toBe(log.spoken[before - 1].text);
	expect(await highlighted(page)).toEqual([pausedAt]);

	// Read to the end: the amount of the first term is said in words, never as a figure.
	for (let i = 0; i < 60 && !(await page.getByTestId('read-aloud-status').textContent())?.includes('读完了'); i++) await finish(page);
	await expect(page.getByTestId('read-aloud-status')).toContainText('读完了');
	const said = (await speech(page)).spoken.map((s) => s.text);
	expect(text).toContain('800.00元（大写：人民币捌佰元整）');
	expect(said).toContain('金额：捌佰元整');
	expect(said.join('')).not.toMatch(/800|\d元/);
	expect(await highlighted(page)).toEqual([]);
	await context.close();
});

test('read aloud says so when the device has no Chinese voice', async ({ browser, field, cookiesFor }) => {
	const context = await browser.newContext({ ...PHONE, baseURL: field.url });
	await fakeSpeech(context, 'en-US');
	await context.addCookies(await cookiesFor('party'));
	const page = await context.newPage();
	// The party's own case page.
	await page.goto(`/cases/${field.ids.caseId}`);
	await page.getByRole('button', { name: '朗读' }).click();
	await expect(page.getByTestId('read-aloud-status')).toContainText('没有中文朗读语音');
	expect((await speech(page)).spoken).toEqual([]);
	await context.close();
});

test('large text: 22 px and 48 px targets from the first paint, remembered on the device, signing fits 360 px', async ({ browser, field, cookiesFor }) => {
	const context = await browser.newContext({ ...PHONE, baseURL: field.url });
	await context.addCookies(await cookiesFor('signer'));
	const page = await context.newPage();
	await page.goto('/track');
	const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
	expect(await rootSize()).toBe(18);
	const toggle = page.getByRole('button', { name: '大字' });
	await expect(toggle).toHaveAttribute('aria-pressed', 'false');
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-pressed', 'true');
	expect(await rootSize()).toBeGreaterThanOrEqual(22);
	// Kept on the device too, also when the tap came before the script ran (the plain form answered it).
	await expect.poll(() => page.evaluate(() => localStorage.getItem('pingli_text'))).toBe('large');

	// Another page, read as the server sends it (no script run): already large, so no flash.
	const html = await (await page.request.get(field.signPath)).text();
	expect(html).toContain('data-text="large"');
	await page.goto(field.signPath);
	await expect(page.getByTestId('agreement-text')).toBeVisible();
	expect(await rootSize()).toBeGreaterThanOrEqual(22);
	await page.goto(`${field.signPath}?step=sign`);
	await expect(page.getByRole('button', { name: '大字' })).toHaveAttribute('aria-pressed', 'true');
	// Every control a finger meets is at least 48 px both ways, and nothing scrolls sideways.
	const small = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('main button, main a.button, main input:not([type="hidden"]), main label.choice')]
			// A box or a dot inside its label is tapped through the label, which is what is measured.
			.filter((el) => el.offsetParent !== null && !(el instanceof HTMLInputElement && el.closest('label')))
			.map((el) => ({ el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
			.filter(({ r }) => r.height < 48 || r.width < 48)
			.map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`)
	);
	expect(small).toEqual([]);
	expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

	// The cookie gone (a browser clearing cookies but keeping site storage): the device still remembers.
	await context.clearCookies({ name: 'pingli_text' });
	await page.goto('/verify');
	await expect(page.getByRole('button', { name: '大字' })).toHaveAttribute('aria-pressed', 'true');
	expect(await rootSize()).toBeGreaterThanOrEqual(22);
	// And off again.
	await page.getByRole('button', { name: '大字' }).click();
	expect(await rootSize()).toBe(18);
	await page.reload();
	expect(await rootSize()).toBe(18);
	await context.close();
});

test('a dropping link keeps the drawn signature and typed name across a reload, and sends them when it returns', async ({ browser, field, cookiesFor }) => {
	const context = await browser.newContext({ ...PHONE, baseURL: field.url });
	await context.addCookies(await cookiesFor('signer'));
	const page = await context.newPage();
	await page.goto(`${field.signPath}?step=sign`);
	const canvas = page.locator('canvas');
	await drawWithFinger(page, canvas);
	// 钱某 has no name on file to tap: the name is typed.
	await page.getByRole('textbox').fill('钱某');
	await expect(page.locator('input[name="signature"]')).toHaveValue(/^data:image\/png;base64,/);
	const drawn = await page.locator('input[name="signature"]').inputValue();

	// A reload on a weak link: the drawing and the name come back, and the pad is not empty.
	await page.reload();
	await expect(page.getByText('已找回您刚才画的签名和填写的内容')).toBeVisible();
	await expect(page.locator('input[name="signature"]')).toHaveValue(drawn);
	await expect(page.getByRole('textbox')).toHaveValue('钱某');
	const submit = page.getByRole('button', { name: '确认签名' });
	await expect(submit).toBeEnabled();

	// The link drops: the page says so in plain words; the tap is held, not lost and not an error page.
	await context.setOffline(true);
	await expect(page.getByTestId('offline-notice')).toContainText('现在没有网络');
	const posts: string[] = [];
	page.on('request', (r) => {
		if (r.method() === 'POST') posts.push(r.url());
	});
	await submit.tap();
	await expect(page.getByTestId('offline-notice')).toContainText('已保存在这台手机上');
	expect(posts).toEqual([]);

	// The link returns: the held signature goes out by itself and the agreement is signed.
	const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/sign'));
	await context.setOffline(false);
	expect((await answered).status()).toBe(200);
	await expect(page.getByRole('status').filter({ hasText: '签名' }).first()).toBeVisible();
	await page.reload();
	await expect(page.locator('canvas')).toHaveCount(0);
	expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('pingli:sign-draft')))).toEqual([]);
	await context.close();
});
