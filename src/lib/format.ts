import { getLocale } from '$lib/paraglide/runtime';

/**
 * Dates and numbers in the current locale. Apart from `t()` in $lib/i18n (which re-exports these), so
 * that a page can format a date without bringing every message of the app along: `t()` looks a key up
 * among all of them, so whatever imports $lib/i18n ships them all (the live record must stay light, see
 * tests/e2e/budgets.ts).
 */

/** Dates for the current locale, e.g. 2026年11月29日 10:05 or 29 Nov 2026, 10:05. */
export function formatDateTime(value: Date | string | number): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(value));
}

export function formatDate(value: Date | string | number): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date(value));
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
	return new Intl.NumberFormat(getLocale(), options).format(value);
}
