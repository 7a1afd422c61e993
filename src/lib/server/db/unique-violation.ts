/**
 * The constraint a unique violation (SQLSTATE 23505) names, or null for any other error. Both
 * drivers expose `code` and `constraint` (postgres.js as `constraint_name`).
 */
export function uniqueViolation(err: unknown): string | null {
	const e = err as { code?: string; constraint?: string; constraint_name?: string; cause?: unknown } | null;
	if (!e || typeof e !== 'object') return null;
	if (e.code === '23505') return e.constraint ?? e.constraint_name ?? '';
	return e.cause ? uniqueViolation(e.cause) : null;
}
