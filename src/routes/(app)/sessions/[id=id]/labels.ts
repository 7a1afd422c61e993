import { m } from '$lib/paraglide/messages';

export type SessionStatus = 'scheduled' | 'in_progress' | 'ended' | 'cancelled';

export const sessionStatusLabel = (status: SessionStatus): string =>
	({
		scheduled: m.record_session_scheduled,
		in_progress: m.record_session_in_progress,
		ended: m.record_session_ended,
		cancelled: m.record_session_cancelled
	})[status]();
