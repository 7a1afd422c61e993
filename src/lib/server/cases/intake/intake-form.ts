import type { IncomingFile } from '../work/attachment-rules';

/**
 * The staff intake form as posted: plain fields, party rows as repeated fields (`applicants.name`
 * once per row, in row order) and files. Reading it is kept apart from the use case so the form can
 * grow rows in the browser without the server caring how many.
 */

export const PARTY_FIELDS = ['kind', 'name', 'phone', 'idNumber', 'address'] as const;
export type PartyRow = Record<(typeof PARTY_FIELDS)[number], string>;
export const SIDES = { applicants: 'applicant', respondents: 'respondent' } as const;
export type SideGroup = keyof typeof SIDES;

/** What the form refills with after a refusal (never the files: a browser cannot be given them back). */
export interface IntakeValues {
	channel: string;
	categoryId: string;
	placeId: string;
	title: string;
	description: string;
	receivedAt: string;
	repeatOfNumber: string;
	applicants: PartyRow[];
	respondents: PartyRow[];
}

export interface IntakeForm {
	values: IntakeValues;
	/** The input for `fileCase`. */
	raw: Record<string, unknown>;
	/** For each party sent to `fileCase`, the form row it came from, e.g. `applicants.2`. */
	rowOf: string[];
	files: File[];
}

const str = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

function rows(form: FormData, group: SideGroup): PartyRow[] {
	const columns = Object.fromEntries(PARTY_FIELDS.map((f) => [f, form.getAll(`${group}.${f}`).map((v) => (typeof v === 'string' ? v : ''))]));
	const count = Math.min(50, Math.max(0, ...PARTY_FIELDS.map((f) => columns[f].length)));
	return Array.from({ length: count }, (_, i) => Object.fromEntries(PARTY_FIELDS.map((f) => [f, columns[f][i] ?? ''])) as PartyRow);
}

/** A row with nothing typed into it (the kind select always has a value, so it does not count). */
const blank = (row: PartyRow) => PARTY_FIELDS.every((f) => f === 'kind' || row[f].trim() === '');

export function readIntakeForm(form: FormData): IntakeForm {
	const values: IntakeValues = {
		channel: str(form, 'channel'),
		categoryId: str(form, 'categoryId'),
		placeId: str(form, 'placeId'),
		title: str(form, 'title'),
		description: str(form, 'description'),
		receivedAt: str(form, 'receivedAt'),
		repeatOfNumber: str(form, 'repeatOfNumber'),
		applicants: rows(form, 'applicants'),
		respondents: rows(form, 'respondents')
	};
	const parties: Record<string, string>[] = [];
	const rowOf: string[] = [];
	for (const group of Object.keys(SIDES) as SideGroup[]) {
		values[group].forEach((row, i) => {
			if (blank(row)) return;
			parties.push({ side: SIDES[group], ...row });
			rowOf.push(`${group}.${i}`);
		});
	}
	const files = form.getAll('attachments').filter((v): v is File => typeof v !== 'string' && (v.size > 0 || v.name !== ''));
	const { applicants: _a, respondents: _r, ...fields } = values;
	return { values, raw: { ...fields, parties }, rowOf, files };
}

/** Field errors of `fileCase` renamed to the form's own rows: `parties.3.phone` → `respondents.0.phone`. */
export function formFieldErrors(fields: Record<string, string>, rowOf: readonly string[]): Record<string, string> {
	return Object.fromEntries(
		Object.entries(fields).map(([key, message]) => {
			const m = /^parties\.(\d+)\.(.+)$/.exec(key);
			return [m && rowOf[Number(m[1])] ? `${rowOf[Number(m[1])]}.${m[2]}` : key, message];
		})
	);
}

export async function toIncomingFiles(files: readonly File[]): Promise<IncomingFile[]> {
	return Promise.all(files.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
}

const statusOf = (err: unknown): unknown => (typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined);

/**
 * Reads a multipart body. Past BODY_SIZE_LIMIT the adapter fails the body with a 413; that becomes a
 * message on the form (the limit is set in src/server.js above the largest allowed upload), never a
 * raw error page.
 */
export async function readFormData(request: Request): Promise<{ form: FormData } | { error: 'err_upload_too_large' | 'err_upload_failed'; status: number }> {
	try {
		return { form: await request.formData() };
	} catch (err) {
		const tooLarge = statusOf(err) === 413 || statusOf((err as { cause?: unknown })?.cause) === 413;
		return tooLarge ? { error: 'err_upload_too_large', status: 413 } : { error: 'err_upload_failed', status: 400 };
	}
}
