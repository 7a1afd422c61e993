import { z } from 'zod';
import type { RateLimitRule } from '../auth/rate-limit';
import { optionalFreeText } from '../validation';

/**
 * Pure rules of the public pages (issue 3, point 2): online filing without an account, tracking
 * with case number + query code, and the resident's rating. No database here.
 */

/**
 * Online filing: a few per phone (one resident's matters) and per address (one internet café or a
 * script), counted per day. Tracking counts failed lookups only: per address to stop guessing many
 * numbers from one place, and per case number AND address, so a case is locked only against the
 * addresses that guessed its code — a budget per case number alone would let any stranger lock the
 * real petitioner out for an hour with ten wrong codes. Guessing one case from many addresses gains
 * nothing: the code has 36^8 ≈ 2.8·10^12 values.
 */
export const PUBLIC_FILE_PER_PHONE: RateLimitRule = { name: 'public-file-phone', max: 3, windowMs: 24 * 60 * 60_000 };
export const PUBLIC_FILE_PER_ADDRESS: RateLimitRule = { name: 'public-file-address', max: 10, windowMs: 24 * 60 * 60_000 };
export const PUBLIC_TRACK_PER_ADDRESS: RateLimitRule = { name: 'public-track-address', max: 10, windowMs: 15 * 60_000 };
export const PUBLIC_TRACK_PER_NUMBER_ADDRESS: RateLimitRule = { name: 'public-track-number-address', max: 5, windowMs: 60 * 60_000 };
/** One use per filing form: a reload of the "filed" page (which re-posts the form without JS) files nothing twice. */
export const PUBLIC_FILE_ONCE: RateLimitRule = { name: 'public-file-once', max: 1, windowMs: 24 * 60 * 60_000 };

/** A case may be rated once its handling is over: concluded, in follow-up or archived. */
export const RATEABLE_STATUSES = ['concluded', 'follow_up', 'archived'] as const;

export type RatingRefusal = 'public_rate_not_yet' | 'public_rate_done';

/** Why a rating is refused now, or null when it may be given. */
export function ratingRefusal(c: { status: string; publicRating: number | null }): RatingRefusal | null {
	if (c.publicRating != null) return 'public_rate_done';
	return (RATEABLE_STATUSES as readonly string[]).includes(c.status) ? null : 'public_rate_not_yet';
}

/**
 * A case number as people type it: full-width digits, any dash, spaces, or no dash at all; a short
 * serial is padded ("2026-123" → "2026-000123"). Null when it cannot be one.
 */
export function normalizeCaseNumber(input: string): string | null {
	const s = input
		.normalize('NFKC')
		.replace(/[\s]/g, '')
		.replace(/[‐-―−ー_]/g, '-');
	const m = /^(\d{4})-?(\d{1,6})$/.exec(s);
	return m ? `${m[1]}-${m[2].padStart(6, '0')}` : null;
}

/** Query codes are read out and typed by hand: case, spaces and dashes do not matter. */
export function normalizeQueryCode(input: string): string {
	return input.normalize('NFKC').replace(/[\s\-]/g, '').toUpperCase();
}

/** The name's first character and a star for each other one: 孙大伯 → 孙**. */
export function maskName(name: string): string {
	const chars = Array.from(name.trim());
	return chars.length === 0 ? '' : chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

const caseNumber = z
	.string({ message: 'err_required' })
	.transform((s, ctx) => {
		if (!s.trim()) {
			ctx.addIssue({ code: 'custom', message: 'err_required' });
			return z.NEVER;
		}
		const n = normalizeCaseNumber(s);
		if (!n) ctx.addIssue({ code: 'custom', message: 'err_case_number_format' });
		return n ?? '';
	});

const queryCode = z
	.string({ message: 'err_required' })
	.transform(normalizeQueryCode)
	.pipe(z.string().min(1, 'err_required').regex(/^[A-Z0-9]{8}$/, 'err_query_code_format'));

/** Case number + query code, the two things a resident keeps. */
export const trackInput = z.object({ number: caseNumber, code: queryCode });

export const rateInput = trackInput.extend({
	rating: z.coerce.number({ message: 'err_rating_required' }).int('err_rating_required').min(1, 'err_rating_required').max(5, 'err_rating_required'),
	comment: optionalFreeText(500)
});

/** As a form posts them; `parseInput` checks and normalises. */
export interface TrackInput {
	number: string;
	code: string;
}
export interface RateInput extends TrackInput {
	rating: string | number;
	comment?: string | null;
}

/** Where each field of the intake schema shows on the public form. */
const PUBLIC_FIELD_OF: Record<string, string> = {
	'parties.0.name': 'name',
	'parties.0.phone': 'phone',
	'parties.0.idNumber': 'idNumber',
	'parties.1.name': 'otherParty',
	parties: 'name'
};

/** Renames intake field errors (`parties.0.phone`) to the public form's fields (`phone`). */
export function publicFields(fields: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [field, key] of Object.entries(fields)) out[PUBLIC_FIELD_OF[field] ?? field] ??= key;
	return out;
}
