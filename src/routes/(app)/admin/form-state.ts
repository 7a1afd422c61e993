/**
 * What an admin action hands back to its page: which form (`action`, and `target` for per-row forms),
 * then either `done` (a message key) or `message` + field errors + the values to refill.
 */
export interface FormState {
	action?: string;
	target?: string;
	done?: string;
	message?: string;
	fields?: Record<string, string>;
	values?: Record<string, string | string[] | undefined>;
}
