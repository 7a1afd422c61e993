// Relative, so the unit tests (no $lib alias there) load it too.
import { m } from '../paraglide/messages';

/**
 * Close codes of the collaboration server that end a live connection for good
 * (src/lib/server/collab/connection.ts: CLOSE). y-websocket does not reconnect on 4400–4499, so each
 * gets a message saying why and what to do, instead of a silent stop or a reconnect loop.
 */
export const FINAL_CLOSE = {
	tooManyConnections: 4409,
	recordTooLarge: 4413,
	updateRejected: 4422,
	tooFast: 4429
} as const;

/** What to tell the person when the server ended the connection with `code`. */
export function closeMessage(code: number | null): string {
	switch (code) {
		case FINAL_CLOSE.recordTooLarge:
			return m.cb_record_too_large();
		case FINAL_CLOSE.tooManyConnections:
			return m.cb_too_many_windows();
		case FINAL_CLOSE.tooFast:
			return m.cb_too_fast();
		case FINAL_CLOSE.updateRejected:
			return m.cb_update_rejected();
		default:
			return m.record_refused();
	}
}
