import type { Db } from '../db';
import { loadReceptionLink, receptionGrantValid } from './reception-link';

export interface WaitingView {
	/** The room the call panel joins; only shown to a verified petitioner. */
	requestId: number | null;
	verified: boolean;
	scheduledAt: Date | null;
	phoneTail: string;
}

export interface LoadWaitingViewOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** What the petitioner's link shows: the code step, or (with a valid grant) the waiting room. */
export async function loadWaitingView(db: Db, token: unknown, grant: string | undefined, options: LoadWaitingViewOptions = {}): Promise<WaitingView> {
	const { now = new Date() } = options;
	const link = await loadReceptionLink(db, token, now);
	const verified = receptionGrantValid(link, grant, now);
	return { requestId: verified ? link.id : null, verified, scheduledAt: link.scheduledAt, phoneTail: link.phone.slice(-4) };
}
