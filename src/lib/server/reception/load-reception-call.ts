import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { filingOptions, type FilingOptions } from '../cases/intake/filing-options';
import type { Db } from '../db';
import { cases, places } from '../db/schema';
import { receptionIdOf, requestInScope } from './scope';

/** The staff call page: the request, where the call panel mounts, and the filing form's choices. */
export async function loadReceptionCall(db: Db, viewer: Viewer, rawId: unknown) {
	const row = await requestInScope(db, viewer, receptionIdOf(rawId));
	const [township] = row.townshipId ? await db.select({ name: places.name }).from(places).where(eq(places.id, row.townshipId)) : [];
	const [filed] = row.caseId ? await db.select({ id: cases.id, number: cases.number }).from(cases).where(eq(cases.id, row.caseId)) : [];
	const options: FilingOptions = await filingOptions(db, viewer);
	return {
		request: {
			id: row.id,
			name: row.name,
			phone: row.phone,
			matter: row.matter,
			placeName: township?.name ?? null,
			townshipId: row.townshipId,
			preferredDate: row.preferredDate,
			preferredHalfDay: row.preferredHalfDay,
			status: row.status,
			scheduledAt: row.scheduledAt,
			linkExpiresAt: row.linkExpiresAt
		},
		filedCase: filed ?? null,
		categories: options.categories,
		places: options.places
	};
}
