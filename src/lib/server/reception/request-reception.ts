import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, takeAll } from '../auth/rate-limit';
import { CHINA_CALENDAR, type HolidayCalendar } from '../cases/holidays';
import type { Db } from '../db';
import { receptionRequests } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { receptionRequestOptions } from './request-options';
import { parseSitting, RECEPTION_REQUEST_ONCE, RECEPTION_REQUEST_PER_ADDRESS, RECEPTION_REQUEST_PER_PHONE, receptionRequestInput } from './rules';

/** The request form as posted: every value a string (or missing). */
export interface ReceptionRequestForm {
	name?: string;
	phone?: string;
	matter?: string;
	/** `YYYY-MM-DD/am|pm`, one of the bookable sittings. */
	sitting?: string;
	/** 'county' for the reception centre, else a township's id. */
	placeId?: string;
	/** Honeypot, as on the filing form. */
	website?: string;
	/** The form's one-time token. */
	submission?: string;
}

export interface RequestReceptionOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The holiday calendar for working days. */
	calendar?: HolidayCalendar;
}

/**
 * A petitioner asks for a video reception without an account. Order as for online filing: bot trap →
 * every field check (nothing counted or written on bad input) → per-phone and per-address budgets →
 * the form's one-time token → one transaction with the request and its audit row. The audit row keeps
 * no name or phone: the request row is where personal data lives (and is purged with it).
 */
export async function requestReception(db: Db, form: ReceptionRequestForm, ip: string, options: RequestReceptionOptions = {}): Promise<{ id: number }> {
	const { now = new Date(), calendar = CHINA_CALENDAR } = options;
	if (form.website?.trim()) throw new AppError('invalid', { _: 'public_file_rejected' });
	const offered = await receptionRequestOptions(db, { now, calendar });
	if (!offered.countyId) throw new AppError('unavailable', { _: 'rc_err_unavailable' });

	const fields: Record<string, string> = {};
	let input: ReturnType<typeof receptionRequestInput.parse> | null = null;
	try {
		input = parseInput(receptionRequestInput, { name: form.name ?? '', phone: form.phone ?? '', matter: form.matter ?? '', sitting: form.sitting ?? '', placeId: form.placeId ?? '' });
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		Object.assign(fields, err.fields);
	}
	const sitting = parseSitting(form.sitting);
	if (!fields.sitting && !(sitting && offered.sittings.some((s) => s.date === sitting.date && s.halfDay === sitting.halfDay))) fields.sitting = 'rc_err_sitting';
	const townshipId = form.placeId === 'county' ? null : Number(form.placeId);
	if (!fields.placeId && townshipId !== null && !offered.townships.some((t) => t.id === townshipId)) fields.placeId = 'err_place_not_found';
	if (Object.keys(fields).length > 0 || !input || !sitting) throw new AppError('invalid', fields);

	const refund = await takeAll([
		[dbRateLimiter(db, RECEPTION_REQUEST_PER_PHONE), input.phone],
		[dbRateLimiter(db, RECEPTION_REQUEST_PER_ADDRESS), ip]
	]);
	const once = dbRateLimiter(db, RECEPTION_REQUEST_ONCE);
	const token = form.submission && /^[a-z0-9]{16,64}$/.test(form.submission) ? form.submission : null;
	if (token && !(await once.consume(token))) {
		await refund();
		throw new AppError('conflict', { _: 'rc_err_duplicate' });
	}
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(receptionRequests)
			.values({
				countyId: offered.countyId!,
				townshipId,
				name: input.name,
				phone: input.phone,
				matter: input.matter,
				preferredDate: sitting.date,
				preferredHalfDay: sitting.halfDay,
				createdAt: now
			})
			.returning({ id: receptionRequests.id });
		await recordAudit(tx, {
			action: 'reception.request',
			actorId: null,
			subjectType: 'reception',
			subjectId: row.id,
			ip,
			data: { townshipId, preferredDate: sitting.date, preferredHalfDay: sitting.halfDay }
		});
		return { id: row.id };
	});
}
