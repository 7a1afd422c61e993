/**
 * What a form action hands back to its page: which form (`action`, and `target` for a per-row form),
 * then either `done` (a message key) or `message` + field errors + the values to refill. `V` is the type
 * of one refilled value: a string, or a list for a checkbox group.
 */
export interface FormState<V = string> {
	action?: string;
	target?: string;
	done?: string;
	/** Values the `done` message names (e.g. the number of the session just scheduled). */
	doneParams?: Record<string, string | number>;
	message?: string;
	fields?: Record<string, string>;
	values?: Record<string, V>;
}

/** Reading one action's outcome from the page's `form`, for a page with several forms. */
export function formView<V>(f: FormState<V> | null | undefined) {
	const mine = (action: string, target?: string) => f?.action === action && (target === undefined || f.target === target);
	return {
		/** This form's outcome, when it was the one submitted. */
		outcome: (action: string, target?: string) => (mine(action, target) ? (f ?? null) : null),
		/** Field errors of one form (for a per-row form, of one row). */
		errors: (action: string, target?: string): Record<string, string> => (mine(action, target) ? (f?.fields ?? {}) : {}),
		/** A value sent, to refill the form after a refusal. */
		sent: (action: string, key: string, target?: string) => (mine(action, target) && !f?.done ? (f?.values?.[key] ?? '') : ''),
		/** Whether a per-row form was refused (to keep its <details> open). */
		refused: (action: string, target?: string) => mine(action, target) && !f?.done
	};
}

/**
 * `use:enhance` that keeps the form's values when the action refuses them (to be fixed) and clears
 * the form after a success, so the next session or term does not start from the previous one's values.
 */
export const keepValues =
	() =>
	async ({ result, update }: { result: { type: string }; update: (o?: { reset?: boolean }) => Promise<void> }) =>
		update({ reset: result.type === 'success' });
