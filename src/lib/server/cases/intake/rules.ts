import { z } from 'zod';
import { CHANNELS, type Channel } from '../../../enums';
import { normalizeIdNumber } from '../../../utils/id-number';
import { normalizePhone } from '../../../utils/phone';
import { isIsoDate } from '../shanghai-date';
import { freeText } from '../../validation';

export { CHANNELS, type Channel };

const optional = <T extends z.ZodType>(schema: T) =>
	z.preprocess((v) => (v == null || (typeof v === 'string' && v.trim() === '') ? null : v), schema.nullable());

/**
 * A date-only value ('2026-11-20', as a date input sends it) is that day from 00:00 in China, not UTC.
 * A day that does not exist ('2026-02-30') is refused rather than rolled over into March.
 */
function shanghaiDayStart(v: unknown): unknown {
	if (typeof v !== 'string' || !/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(v)) return v;
	return isIsoDate(v.trim()) ? `${v.trim()}T00:00:00+08:00` : 'invalid';
}

export const partyInput = z
	.object({
		side: z.enum(['applicant', 'respondent'], { message: 'err_invalid' }),
		kind: z.enum(['person', 'organisation'], { message: 'err_invalid' }).default('person'),
		name: freeText(60),
		phone: optional(
			z.string().transform((s, ctx) => {
				const p = normalizePhone(s);
				if (!p) ctx.addIssue({ code: 'custom', message: 'err_phone_invalid' });
				return p ?? '';
			})
		),
		idNumber: optional(
			z.string().transform((s, ctx) => {
				const id = normalizeIdNumber(s);
				if (!id) ctx.addIssue({ code: 'custom', message: 'err_id_number_invalid' });
				return id ?? '';
			})
		),
		address: optional(freeText(200))
	})
	.superRefine((p, ctx) => {
		if (p.kind === 'organisation' && p.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'err_id_number_for_person' });
	});

/**
 * A new matter as staff, agents and grid workers enter it, and (with a reduced set) as residents
 * file it online. Field messages are message keys.
 */
export const fileCaseInput = z
	.object({
		channel: z.enum(CHANNELS, { message: 'err_channel_invalid' }),
		categoryId: z.coerce.number({ message: 'err_required' }).int().positive('err_required'),
		placeId: z.coerce.number({ message: 'err_required' }).int().positive('err_required'),
		title: freeText(100),
		description: freeText(5000),
		parties: z.array(partyInput).max(50, 'err_too_many_parties'),
		/** When the matter was received, if earlier than now (e.g. a letter entered the next day). */
		receivedAt: optional(z.preprocess(shanghaiDayStart, z.coerce.date({ message: 'err_date_invalid' }))),
		/** The earlier case this one repeats, by its number. */
		repeatOfNumber: optional(z.string().trim().max(20, 'err_too_long'))
	})
	.superRefine((v, ctx) => {
		if (!v.parties.some((p) => p.side === 'applicant')) ctx.addIssue({ code: 'custom', path: ['parties'], message: 'err_applicant_required' });
	});

export type FileCaseInput = z.input<typeof fileCaseInput>;
