/**
 * Expected failures of a use case. Use cases throw these; routes and sockets map them to HTTP or
 * close codes at the edge. `code` doubles as the key of the user-facing message.
 */
export type AppErrorCode =
	| 'not_found'
	| 'forbidden'
	| 'invalid'
	| 'conflict'
	| 'rate_limited'
	| 'invalid_credentials'
	/** A service the work needs (e.g. the SMS provider) is not configured or did not answer. */
	| 'unavailable';

export class AppError extends Error {
	readonly code: AppErrorCode;
	/** Field name → message key, for forms. */
	readonly fields: Record<string, string>;

	constructor(code: AppErrorCode, fields: Record<string, string> = {}, detail?: string) {
		super(detail ?? code);
		this.name = 'AppError';
		this.code = code;
		this.fields = fields;
	}
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
	not_found: 404,
	forbidden: 403,
	invalid: 400,
	conflict: 409,
	rate_limited: 429,
	invalid_credentials: 400,
	unavailable: 503
};
