/**
 * The one check for every redirect whose target comes from the request (`?next=`, a form's `next`).
 *
 * A prefix test (`starts with / but not //`) is not enough: browsers read `/\evil.example` as
 * `//evil.example` (WHATWG URL parsing turns `\` into `/` in special schemes), and tabs or newlines
 * inside the value are dropped before parsing. So the target is resolved the way a browser resolves a
 * `Location` header and accepted only when it stays on our origin; what is returned is the resolved
 * path, never the raw input, so the header we send is exactly what was checked.
 */
export function safeRedirectTarget(next: string | null | undefined, origin: string, fallback = '/'): string {
	if (!next || next.length > 2048) return fallback;
	// Backslashes and C0/space are what make a "path" leave the origin in a browser; refuse them outright.
	if (/[\\\u0000-\u0020\u007f]/.test(next)) return fallback;
	if (!next.startsWith('/') || next.startsWith('//')) return fallback;
	let resolved: URL;
	try {
		resolved = new URL(next, origin);
	} catch {
		return fallback;
	}
	if (resolved.origin !== new URL(origin).origin) return fallback;
	return resolved.pathname + resolved.search + resolved.hash;
}
