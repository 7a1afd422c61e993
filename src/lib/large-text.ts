/**
 * The "大字" setting: a cookie the server reads to put `data-text="large"` on <html> in the page it
 * renders, so large text is there from the first paint without an inline script (the CSP allows none)
 * and without JavaScript at all; localStorage keeps a second copy on the device, which brings the cookie
 * back when a browser clears cookies but keeps site storage (LargeTextSwitch.svelte).
 */
export const LARGE_TEXT_COOKIE = 'pingli_text';
export const LARGE_TEXT_VALUE = 'large';
export const LARGE_TEXT_MAX_AGE = 60 * 60 * 24 * 400;
