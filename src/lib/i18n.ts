import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

type MessageInputs = Record<string, string | number | null | undefined>;
type MessageFn = (inputs?: MessageInputs) => string;

/**
 * Translates a message key coming from the server (e.g. a field error `err_required`), with the
 * values some messages take (a limit's `{minutes}`).
 */
export function t(key: string | undefined | null, inputs?: MessageInputs): string {
	if (!key) return '';
	const fn = (m as unknown as Record<string, MessageFn | undefined>)[key];
	return fn ? fn(inputs ?? {}) : (m as unknown as Record<string, MessageFn>).err_invalid();
}

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
