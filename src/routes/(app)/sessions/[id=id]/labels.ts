import type { SessionStatus } from '$lib/enums';
import { m } from '$lib/paraglide/messages';

export type { SessionStatus };

export const sessionStatusLabel = (status: SessionStatus): string =>
	({
		scheduled: m.record_session_scheduled,
		in_progress: m.record_session_in_progress,
		ended: m.record_session_ended,
		cancelled: m.record_session_cancelled
	})[status]();
