import type { RateLimitRule } from '../auth/rate-limit';

/**
 * Each person's budget for the notice actions (open, mark all read, declare from a notice) and for the
 * calendar file: generous for a person tapping, tight enough that a script cannot turn them into a
 * write loop on the database. Counted per account before the work.
 */
export const NOTICE_ACTIONS: RateLimitRule = { name: 'notice-action', max: 120, windowMs: 10 * 60_000 };
export const CALENDAR_FILES: RateLimitRule = { name: 'calendar-file', max: 60, windowMs: 10 * 60_000 };
