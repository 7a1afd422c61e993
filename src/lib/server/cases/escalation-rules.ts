import { z } from 'zod';
import type { Viewer } from '../../types';
import { freeText } from '../validation';
import { isAtOrBelow } from './permissions';
import { isIsoDate } from './shanghai-date';

/**
 * Pure rules of recording that a matter went above the county (越级: 赴市, 赴省, 进京; issue 13 part 4).
 * The assessment circular counts 进京 and 赴省 apart from `cases.escalated_to`; this is where that fact
 * comes from. No database here.
 */

export const ESCALATION_LEVELS = ['city', 'province', 'beijing'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/**
 * A county or township supervisor (not department staff) records it, for a matter that arose within
 * their place: the supervisor answers for that area's figures, and a department sees only what it was
 * given. `none` corrects a record made in error.
 */
export function mayRecordEscalation(viewer: Viewer, caseOrigin: string): boolean {
	return (
		viewer.department === null &&
		viewer.place.kind !== 'village' &&
		viewer.roles.some((r) => r.role === 'supervisor') &&
		isAtOrBelow(caseOrigin, viewer.place.path)
	);
}

/** The form: where it went (or `none` to correct), the day (not before the matter came in, not after today), a note. */
export function escalationInput(registeredOn: string, today: string) {
	return z.object({
		level: z.enum([...ESCALATION_LEVELS, 'none'], { message: 'cy_err_level' }),
		on: z
			.string({ message: 'err_required' })
			.trim()
			.refine((s) => isIsoDate(s), 'err_date_invalid')
			.refine((s) => s <= today, 'cy_err_date_future')
			.refine((s) => s >= registeredOn, 'cy_err_date_before_case'),
		note: freeText(500)
	});
}
