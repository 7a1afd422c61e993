/**
 * CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake), CRLF line
 * ends, and every cell that starts with =, +, -, @ (or a tab or carriage return) prefixed with an
 * apostrophe so that a spreadsheet shows it as text instead of running it as a formula (CSV injection).
 */

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
	if (value == null) return '';
	let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
	// A number is written as a number; only text can smuggle a formula in.
	if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
	return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A download response with a file name that survives Chinese (RFC 6266 filename*). */
export function csvResponse(body: string, fileName: string): Response {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replaceAll('"', '');
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
			'cache-control': 'no-store'
		}
	});
}
