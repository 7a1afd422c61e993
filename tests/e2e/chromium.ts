/** Debian's Chromium and the flags every e2e browser runs with (playwright.config.ts; the call spec adds fake media). */
export const CHROMIUM = '/usr/bin/chromium';
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
