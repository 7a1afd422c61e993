import { and, asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db, Tx } from '../db';
import { assessmentPractices } from '../db/schema';
import { AppError } from '../errors';
import { countyIdOf } from '../roster/rules';
import { parseInput } from '../validation';
import { mayEditCircular, practiceInput } from './rules';

/** Good practice named in a period's circular, in the order it was entered. */
export function listPractices(db: Db | Tx, countyId: number, period: string) {
	return db
		.select({ id: assessmentPractices.id, unit: assessmentPractices.unit, text: assessmentPractices.text })
		.from(assessmentPractices)
		.where(and(eq(assessmentPractices.countyId, countyId), eq(assessmentPractices.period, period)))
		.orderBy(asc(assessmentPractices.id));
}

export interface AddPracticeOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Names a unit's good practice for a period's circular, audited. */
export async function addPractice(db: Db, actor: Viewer, raw: unknown, options: AddPracticeOptions = {}): Promise<{ id: number }> {
	const { ip } = options;
	if (!mayEditCircular(actor)) throw new AppError('forbidden');
	const input = parseInput(practiceInput, raw);
	const countyId = countyIdOf(actor);
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(assessmentPractices).values({ countyId, period: input.period, unit: input.unit, text: input.text, createdById: actor.id }).returning({ id: assessmentPractices.id });
		await recordAudit(tx, { action: 'assessment.practice', actorId: actor.id, subjectType: 'county', subjectId: countyId, ip, data: { practiceId: row.id, period: input.period, unit: input.unit } });
		return { id: row.id };
	});
}
