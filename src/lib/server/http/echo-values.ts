/** The longest free text any field takes (an agreement's longest text field): nothing longer is ever refilled. */
export const ECHO_MAX_FIELD = 20_000;
/** All refilled values together: a form of many fields, each under its limit, still comes back small. */
export const ECHO_MAX_TOTAL = 100_000;

type Echo = string | null | undefined | number | boolean | Echo[] | { [key: string]: Echo };

/**
 * What a refused form gets back to refill itself: the values sent, except any value its field refused
 * as too long (`err_too_long`: the value is longer than that field's limit) and any value longer than
 * the longest field, and nothing past a total budget. A form field can hold megabytes; echoing it
 * made every refused post answer with the whole of it.
 *
 * Over-long values are dropped, not cut: the inputs carry `maxlength`, so such a value was not typed
 * into the page, and half a value would read as if it had been accepted.
 */
export function echoValues<T>(values: T, fieldErrors: Record<string, string> = {}): T {
	let budget = ECHO_MAX_TOTAL;
	const walk = (value: Echo, path: string): Echo => {
		if (typeof value === 'string') {
			if (fieldErrors[path] === 'err_too_long' || value.length > ECHO_MAX_FIELD || value.length > budget) return '';
			budget -= value.length;
			return value;
		}
		if (Array.isArray(value)) return value.map((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
		}
		return value;
	};
	return walk(values as Echo, '') as T;
}
