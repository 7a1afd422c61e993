import { eq } from 'drizzle-orm';
import { normalizePhone } from '../../utils/phone';
import { dbRateLimiter, takeAll } from '../auth/rate-limit';
import { fileCase, type FiledCase } from '../cases/intake/file-case';
import { fileCaseInput } from '../cases/intake/rules';
import type { Db } from '../db';
import { cases } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { normalizeCaseNumber, PUBLIC_FILE_ONCE, PUBLIC_FILE_PER_ADDRESS, PUBLIC_FILE_PER_PHONE, publicFields } from './rules';

/** The public filing form as posted: every value a string (or missing). */
export interface PublicFilingForm {
	name?: string;
	phone?: string;
	idNumber?: string;
	placeId?: string;
	categoryId?: string;
	title?: string;
	description?: string;
	/** The other party's name, if the resident gives it. */
	otherParty?: string;
	/** Checkbox: "I raised this before". */
	isRepeat?: string;
	repeatOfNumber?: string;
	/** Honeypot: hidden from people, filled by form-filling bots. */
	website?: string;
	/** Random token of the form as served, so a re-post of the same form files nothing twice. */
	submission?: string;
}

export interface FilePublicCaseOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A resident files a matter online without an account (channel `online`). Order: bot trap → all
 * field checks (nothing counted or written on bad input) → per-phone and per-address budgets → the
 * form's one-time token → `fileCase` with no actor. For the public the earlier case number is not
 * looked up (that would tell strangers which numbers exist); it only marks the matter as a repeat.
 */
export async function filePublicCase(db: Db, form: PublicFilingForm, ip: string, options: FilePublicCaseOptions = {}): Promise<FiledCase> {
	const { now = new Date() } = options;
	if (form.website?.trim()) throw new AppError('invalid', { _form: 'public_file_rejected' });

	const phone = normalizePhone(form.phone ?? '');
	const repeatOfNumber = form.repeatOfNumber?.trim() ? normalizeCaseNumber(form.repeatOfNumber) : null;
	const input = {
		channel: 'online',
		placeId: form.placeId,
		categoryId: form.categoryId,
		title: form.title ?? '',
		description: form.description ?? '',
		parties: [
			{ side: 'applicant', kind: 'person', name: form.name ?? '', phone: form.phone ?? '', idNumber: form.idNumber ?? '' },
			...(form.otherParty?.trim() ? [{ side: 'respondent', kind: 'person', name: form.otherParty }] : [])
		],
		repeatOfNumber
	};
	const isRepeat = Boolean(form.isRepeat) || repeatOfNumber != null;

	const fields: Record<string, string> = {};
	// Online, the phone is how the office reaches the resident, so it is required here.
	if (!form.phone?.trim()) fields.phone = 'err_required';
	if (form.repeatOfNumber?.trim() && !repeatOfNumber) fields.repeatOfNumber = 'err_case_number_format';
	try {
		parseInput(fileCaseInput, input);
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		for (const [field, key] of Object.entries(publicFields(err.fields))) fields[field] ??= key;
	}
	if (Object.keys(fields).length > 0 || !phone) throw new AppError('invalid', fields);

	// Counted before the filing, one statement each: parallel posts cannot all pass a check made before the count.
	const refund = await takeAll([
		[dbRateLimiter(db, PUBLIC_FILE_PER_PHONE), phone],
		[dbRateLimiter(db, PUBLIC_FILE_PER_ADDRESS), ip]
	]);

	const once = dbRateLimiter(db, PUBLIC_FILE_ONCE);
	const token = form.submission && /^[a-z0-9]{16,64}$/.test(form.submission) ? form.submission : null;
	if (token && !(await once.consume(token))) {
		// A reload of the "filed" page files nothing, so it costs nothing either.
		await refund();
		throw new AppError('conflict', { _form: 'public_file_duplicate' });
	}

	try {
		return await db.transaction(async (tx) => {
			const filed = await fileCase(tx, null, input, { ip, now });
			// fileCase marks a repeat only when an earlier number is given; a resident who ticks the box
			// without remembering the number still tells the office it is a repeat.
			if (isRepeat && repeatOfNumber == null) await tx.update(cases).set({ isRepeat: true }).where(eq(cases.id, filed.id));
			return filed;
		});
	} catch (err) {
		// The token was not used after all: the corrected form may be sent again.
		if (token) await once.reset(token);
		if (err instanceof AppError && err.code === 'invalid') throw new AppError('invalid', publicFields(err.fields));
		throw err;
	}
}
