import type { z } from 'zod';
import { AppError } from './errors';

/**
 * Parses input with a schema whose messages are message keys (e.g. `err_required`), throwing an
 * `invalid` AppError that names the first problem of each field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const fields: Record<string, string> = {};
	for (const issue of result.error.issues) {
		const field = issue.path.join('.') || '_';
		fields[field] ??= issue.message.startsWith('err_') ? issue.message : 'err_invalid';
	}
	throw new AppError('invalid', fields);
}
