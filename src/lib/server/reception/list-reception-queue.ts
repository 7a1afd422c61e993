import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { ReceptionStatus } from '../../enums';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { places, receptionRequests } from '../db/schema';
import type { HalfDay } from './rules';
import { receptionVisibility } from './scope';

export interface QueueItem {
	id: number;
	name: string;
	matter: string;
	placeName: string | null;
	preferredDate: string;
	preferredHalfDay: HalfDay;
	status: Extract<ReceptionStatus, 'requested' | 'scheduled'>;
	scheduledAt: Date | null;
}

/**
 * The open requests the viewer may handle (requested or scheduled), the soonest sitting first; at most
 * 200 — a desk with more waiting has a staffing problem no page fixes. Phones are not listed: the call
 * page shows the number to whoever takes the call.
 */
export async function listReceptionQueue(db: Db, viewer: Viewer): Promise<QueueItem[]> {
	const rows = await db
		.select({
			id: receptionRequests.id,
			name: receptionRequests.name,
			matter: receptionRequests.matter,
			placeName: places.name,
			preferredDate: receptionRequests.preferredDate,
			preferredHalfDay: receptionRequests.preferredHalfDay,
			status: receptionRequests.status,
			scheduledAt: receptionRequests.scheduledAt
		})
		.from(receptionRequests)
		.leftJoin(places, eq(places.id, receptionRequests.townshipId))
		.where(and(inArray(receptionRequests.status, ['requested', 'scheduled']), receptionVisibility(viewer)))
		.orderBy(asc(receptionRequests.preferredDate), desc(receptionRequests.preferredHalfDay), asc(receptionRequests.id))
		.limit(200);
	return rows as QueueItem[];
}
