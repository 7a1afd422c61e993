import type { Db } from '../db';
import { parseInput } from '../validation';
import { loadPublicView, type PublicCaseView } from './load-public-view';
import { trackInput, type TrackInput } from './rules';
import { verifyQueryCode } from './verify-query-code';

export interface TrackCaseOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A resident looks their matter up with its number and query code. Malformed input is a field error
 * (it says nothing about any case); a wrong number and a wrong code are the same `not_found`, and
 * both count against the address and number budgets (`rate_limited` once spent).
 */
export async function trackCase(db: Db, raw: TrackInput, ip: string, options: TrackCaseOptions = {}): Promise<{ caseId: number; view: PublicCaseView }> {
	const { now = new Date() } = options;
	const input = parseInput(trackInput, raw);
	const caseId = await verifyQueryCode(db, input.number, input.code, ip);
	return { caseId, view: await loadPublicView(db, caseId, { now }) };
}
