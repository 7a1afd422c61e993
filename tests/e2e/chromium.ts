/**
 * Debian's Chromium and the flags every e2e browser runs with (playwright.config.ts).
 *
 * The pages are driven in Debian's `chromium-headless-shell`: the same Chromium build (same Blink, V8
 * and network stack, from the same Debian source package) without the full browser's UI process, which
 * is what Playwright itself runs headless tests in. Measured on two cores against `/usr/bin/chromium`
 * with the same flags: the pglite project 189 s → 140 s, the budgets project 198 s → 136 s, every test
 * passing in both. The calls (call.spec.ts, reception.spec.ts) still launch the full `/usr/bin/chromium`
 * with fake camera and microphone, as a person's browser would hold them. For a headed run, point
 * E2E_CHROMIUM at /usr/bin/chromium (the shell has no window).
 */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium-headless-shell';
/** The full browser, for the calls (camera and microphone). */
export const FULL_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
