import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { loadSession } from './load-session';

/** How long a session is put in the calendar for: sessions have no end time, and most take a morning. */
const SESSION_HOURS = 2;

export interface SessionCalendarOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A session as an iCalendar file (RFC 5545), for the phone's calendar. Looked up among the cases the
 * viewer may see (parties and panel members included: both attend), so the file says no more than the
 * case page. Written by hand rather than with the `ics` package: one VEVENT of six properties, and
 * that package brings a validation library (yup) and a grapheme splitter for it.
 */
export async function sessionCalendar(db: Db, viewer: Viewer, sessionId: unknown, origin: string, options: SessionCalendarOptions = {}): Promise<{ fileName: string; body: string }> {
	const { now = new Date() } = options;
	const { session, case: row } = await loadSession(db, viewer, sessionId, 'see');
	const start = session.scheduledAt;
	const end = new Date(start.getTime() + SESSION_HOURS * 3_600_000);
	const where = session.remote ? [session.location, '线上'].filter(Boolean).join(' / ') : (session.location ?? '');
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Pingli//Mediation sessions//ZH',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		'BEGIN:VEVENT',
		// Stable per session, so the cancelled file replaces the scheduled entry instead of adding one.
		`UID:session-${session.id}@pingli`,
		`SEQUENCE:${session.status === 'cancelled' ? 1 : 0}`,
		`DTSTAMP:${utc(now)}`,
		`DTSTART:${utc(start)}`,
		`DTEND:${utc(end)}`,
		`SUMMARY:${escapeText(`${row.number} 第${session.seq}次调解会`)}`,
		...(where ? [`LOCATION:${escapeText(where)}`] : []),
		`URL:${origin.replace(/\/$/, '')}/cases/${row.id}`,
		...(session.status === 'cancelled' ? ['STATUS:CANCELLED'] : []),
		'END:VEVENT',
		'END:VCALENDAR'
	];
	return { fileName: `session-${row.number}-${session.seq}.ics`, body: lines.map(fold).join('\r\n') + '\r\n' };
}

/** UTC "form #2" date-time, e.g. 20261205T013000Z. */
function utc(d: Date): string {
	return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
	return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/**
 * Lines longer than 75 octets are folded (§3.1), never inside a UTF-8 character: Chinese characters are
 * three octets and characters outside the BMP (𠮷) four, so the line is cut by code point, counting octets.
 */
export function fold(line: string): string {
	const out: string[] = [];
	let current = '';
	let octets = 0;
	for (const ch of line) {
		const size = Buffer.byteLength(ch, 'utf8');
		// The first line holds 75 octets; continuation lines start with a space, so they hold 74 more.
		if (octets + size > (out.length === 0 ? 75 : 74)) {
			out.push(current);
			current = '';
			octets = 0;
		}
		current += ch;
		octets += size;
	}
	out.push(current);
	return out.join('\r\n ');
}
