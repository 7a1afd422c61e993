import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { addDays, isIsoDate, shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { departments, dutyRoster } from '../db/schema';
import { uniqueViolation } from '../db/unique-violation';
import { AppError } from '../errors';
import { freeText, formId, parseInput } from '../validation';
import { countyIdOf, mayKeepRoster } from './rules';

/** How far back a sitting may still be entered (a late correction) and how far ahead it may be planned. */
const PAST_DAYS = 31;
const AHEAD_DAYS = 366;

const rosterInput = z.object({
		departmentId: formId,
		dutyDate: z.string({ message: 'err_required' }).refine(isIsoDate, 'err_date_invalid'),
		halfDay: z.enum(['am', 'pm'], { message: 'err_required' }),
		staffNames: freeText(200)
	});

export interface AddRosterEntryOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** Puts a department on duty for a half-day, with its audit row in the same transaction. */
export async function addRosterEntry(db: Db, actor: Viewer, raw: unknown, options: AddRosterEntryOptions = {}): Promise<{ id: number }> {
	const { ip, now = new Date() } = options;
	if (!mayKeepRoster(actor)) throw new AppError('forbidden');
	const input = parseInput(rosterInput, raw);
	const today = shanghaiDate(now);
	if (input.dutyDate < addDays(today, -PAST_DAYS) || input.dutyDate > addDays(today, AHEAD_DAYS)) {
		throw new AppError('invalid', { dutyDate: 'ct_err_roster_date_range' });
	}
	const countyId = countyIdOf(actor);
	return db
		.transaction(async (tx) => {
			const [dept] = await tx
				.select({ id: departments.id })
				.from(departments)
				.where(and(eq(departments.id, input.departmentId), eq(departments.countyId, countyId)));
			if (!dept) throw new AppError('invalid', { departmentId: 'err_department_not_found' });
			const [row] = await tx
				.insert(dutyRoster)
				.values({ countyId, departmentId: dept.id, dutyDate: input.dutyDate, halfDay: input.halfDay, staffNames: input.staffNames, createdById: actor.id })
				.returning({ id: dutyRoster.id });
			await recordAudit(tx, {
				action: 'roster.add',
				actorId: actor.id,
				subjectType: 'duty_roster',
				subjectId: row.id,
				ip,
				data: { departmentId: dept.id, dutyDate: input.dutyDate, halfDay: input.halfDay, staffNames: input.staffNames }
			});
			return { id: row.id };
		})
		.catch((err: unknown) => {
			if (uniqueViolation(err) === 'duty_roster_slot_uq') throw new AppError('conflict', { departmentId: 'ct_err_roster_taken' });
			throw err;
		});
}
