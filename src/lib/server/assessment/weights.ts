import { desc, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db, Tx } from '../db';
import { assessmentWeightSets, users } from '../db/schema';
import { uniqueViolation } from '../db/unique-violation';
import { AppError } from '../errors';
import { countyIdOf } from '../roster/rules';
import { parseInput } from '../validation';
import { DEFAULT_WEIGHTS, MEASURES, mayConfigureWeights, weightsInput, type Measure } from './rules';

export interface WeightSet {
	/** 0 for the defaults, before the county set its own. */
	version: number;
	weights: Record<Measure, number>;
	note: string;
	createdAt: Date | null;
	createdBy: string | null;
}

const DEFAULT_SET: WeightSet = { version: 0, weights: DEFAULT_WEIGHTS, note: '', createdAt: null, createdBy: null };

/** Every measure's weight from a stored set; a measure missing there weighs nothing. */
const complete = (w: Record<string, number>) => Object.fromEntries(MEASURES.map((m) => [m, w[m] ?? 0])) as Record<Measure, number>;

/** The county's weight sets, newest (the one in force) first. */
export async function listWeightSets(db: Db | Tx, countyId: number, limit = 20): Promise<WeightSet[]> {
	const rows = await db
		.select({ version: assessmentWeightSets.version, weights: assessmentWeightSets.weights, note: assessmentWeightSets.note, createdAt: assessmentWeightSets.createdAt, createdBy: users.name })
		.from(assessmentWeightSets)
		.innerJoin(users, eq(users.id, assessmentWeightSets.createdById))
		.where(eq(assessmentWeightSets.countyId, countyId))
		.orderBy(desc(assessmentWeightSets.version))
		.limit(limit);
	return rows.map((r) => ({ ...r, weights: complete(r.weights) }));
}

export async function weightsInForce(db: Db | Tx, countyId: number): Promise<WeightSet> {
	return (await listWeightSets(db, countyId, 1))[0] ?? DEFAULT_SET;
}

export interface SaveWeightsOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Saves the weights as the county's next version (append-only: earlier circulars keep naming theirs).
 * Two administrators saving at once: the version is unique per county, so the second is told to retry.
 */
export async function saveWeights(db: Db, actor: Viewer, raw: unknown, options: SaveWeightsOptions = {}): Promise<{ version: number }> {
	const { ip } = options;
	if (!mayConfigureWeights(actor)) throw new AppError('forbidden');
	const input = parseInput(weightsInput, raw) as Record<string, number | string>;
	const weights = Object.fromEntries(MEASURES.map((m) => [m, input[m] as number]));
	const countyId = countyIdOf(actor);
	return db
		.transaction(async (tx) => {
			const [{ next }] = await tx
				.select({ next: sql<number>`coalesce(max(${assessmentWeightSets.version}), 0) + 1`.mapWith(Number) })
				.from(assessmentWeightSets)
				.where(eq(assessmentWeightSets.countyId, countyId));
			await tx.insert(assessmentWeightSets).values({ countyId, version: next, weights, note: input.note as string, createdById: actor.id });
			await recordAudit(tx, { action: 'assessment.weights', actorId: actor.id, subjectType: 'county', subjectId: countyId, ip, data: { version: next, weights } });
			return { version: next };
		})
		.catch((err: unknown) => {
			if (uniqueViolation(err) === 'assessment_weight_sets_version_uq') throw new AppError('conflict', { _: 'as_err_weights_race' });
			throw err;
		});
}
