import { m } from '$lib/paraglide/messages';

type MessageInputs = Record<string, string | number | null | undefined>;
type MessageFn = (inputs?: MessageInputs) => string;

/**
 * Translates a message key coming from the server (e.g. a field error `err_required`), with the
 * values some messages take (a limit's `{minutes}`). It looks the key up among all messages, so a
 * page that imports this module ships every message of the app (about 70 KB compressed); a page that
 * must stay light gets its refusals worded on the server instead (see the live record's +page.server.ts).
 */
export function t(key: string | undefined | null, inputs?: MessageInputs): string {
	if (!key) return '';
	const fn = (m as unknown as Record<string, MessageFn | undefined>)[key];
	return fn ? fn(inputs ?? {}) : (m as unknown as Record<string, MessageFn>).err_invalid();
}

export { formatDate, formatDateTime, formatNumber } from './format';
