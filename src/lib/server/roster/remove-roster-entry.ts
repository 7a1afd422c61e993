import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { dutyRoster } from '../db/schema';
import { AppError } from '../errors';
import { idOf } from '../people/scope';
import { countyIdOf, mayKeepRoster } from './rules';

export interface RemoveRosterEntryOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Takes a sitting off the roster; another county's sitting answers like a missing one. */
export async function removeRosterEntry(db: Db, actor: Viewer, rawId: unknown, options: RemoveRosterEntryOptions = {}): Promise<void> {
	const { ip } = options;
	if (!mayKeepRoster(actor)) throw new AppError('forbidden');
	const id = idOf(rawId);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.delete(dutyRoster)
			.where(and(eq(dutyRoster.id, id), eq(dutyRoster.countyId, countyIdOf(actor))))
			.returning({ departmentId: dutyRoster.departmentId, dutyDate: dutyRoster.dutyDate, halfDay: dutyRoster.halfDay, staffNames: dutyRoster.staffNames });
		if (!row) throw new AppError('not_found');
		await recordAudit(tx, { action: 'roster.remove', actorId: actor.id, subjectType: 'duty_roster', subjectId: id, ip, data: row });
	});
}
