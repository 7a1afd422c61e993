import { z } from 'zod';
import type { Viewer } from '../../types';
import { isIsoDate } from '../cases/shanghai-date';
import { freeText } from '../validation';

/**
 * Pure rules of the assessment and its circular (考核通报, issue 13 part 4): the measures, the periods,
 * who may read and who may configure, and how units are scored and ranked. No database here.
 */

/**
 * The measures, each a figure per unit and period and the direction that is better:
 * - `intake_change`: matters received, change on the same period last year (fewer is better, the
 *   county's headline −20.99 %);
 * - `accepted_on_time`: share accepted within 15 days of registration (信访工作条例 art. 22/23);
 * - `concluded_on_time`: share concluded by the statutory date (art. 34);
 * - `first_resolved`: share concluded with no 复查 asked (一次性化解);
 * - `repeat_share`: share of matters received that repeat an earlier one;
 * - `beijing`, `province`: matters taken to Beijing (进京) and to the province (赴省);
 * - `orders_overdue`: supervision orders (督办) left unanswered past their time limit;
 * - `satisfaction`: share of return-visit ratings of 4 or 5.
 */
export const MEASURES = ['intake_change', 'accepted_on_time', 'concluded_on_time', 'first_resolved', 'repeat_share', 'beijing', 'province', 'orders_overdue', 'satisfaction'] as const;
export type Measure = (typeof MEASURES)[number];

export const HIGHER_IS_BETTER: Record<Measure, boolean> = {
	intake_change: false,
	accepted_on_time: true,
	concluded_on_time: true,
	first_resolved: true,
	repeat_share: false,
	beijing: false,
	province: false,
	orders_overdue: false,
	satisfaction: true
};

/** The weights in force before a county sets its own (version 0: printed as "默认权重"). */
export const DEFAULT_WEIGHTS: Record<Measure, number> = {
	intake_change: 10,
	accepted_on_time: 10,
	concluded_on_time: 15,
	first_resolved: 15,
	repeat_share: 10,
	beijing: 15,
	province: 10,
	orders_overdue: 5,
	satisfaction: 10
};

/** The bottom units of a ranking the circular asks to improve (at most, and only below the middle). */
export const ASK_TO_IMPROVE = 2;

/** County supervisors and administrators draw up the circular; township ones read it, as it is sent to them. */
export function mayReadCircular(viewer: Viewer): boolean {
	return viewer.place.kind !== 'village' && viewer.roles.some((r) => r.role === 'supervisor' || r.role === 'admin');
}

/** Naming good practice is part of drawing the circular up: the county's supervisors and administrators. */
export function mayEditCircular(viewer: Viewer): boolean {
	return viewer.place.kind === 'county' && viewer.roles.some((r) => r.role === 'supervisor' || r.role === 'admin');
}

/** The weights are the county's policy: its administrators set them. */
export function mayConfigureWeights(viewer: Viewer): boolean {
	return viewer.place.kind === 'county' && viewer.roles.some((r) => r.role === 'admin');
}

export type PeriodKind = 'month' | 'quarter' | 'year';

/** A period of the assessment: a month '2026-11', a quarter '2026-Q4' or a year '2026'. */
export interface AssessmentPeriod {
	key: string;
	kind: PeriodKind;
	/** First days of its first and last months, inclusive. */
	fromMonth: string;
	toMonth: string;
}

const monthStart = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}-01`;

export function parsePeriod(raw: string | null | undefined): AssessmentPeriod | null {
	if (!raw) return null;
	let m = /^(\d{4})-(\d{2})$/.exec(raw);
	if (m && isIsoDate(`${raw}-01`)) return { key: raw, kind: 'month', fromMonth: `${raw}-01`, toMonth: `${raw}-01` };
	m = /^(\d{4})-Q([1-4])$/.exec(raw);
	if (m && Number(m[1]) >= 2000) {
		const first = (Number(m[2]) - 1) * 3 + 1;
		return { key: raw, kind: 'quarter', fromMonth: monthStart(Number(m[1]), first), toMonth: monthStart(Number(m[1]), first + 2) };
	}
	m = /^(\d{4})$/.exec(raw);
	if (m && Number(m[1]) >= 2000) return { key: raw, kind: 'year', fromMonth: monthStart(Number(m[1]), 1), toMonth: monthStart(Number(m[1]), 12) };
	return null;
}

/** The period before (last month, last quarter, last year), for "change since last period". */
export function previousPeriod(p: AssessmentPeriod): AssessmentPeriod {
	const year = Number(p.key.slice(0, 4));
	if (p.kind === 'year') return parsePeriod(String(year - 1))!;
	if (p.kind === 'quarter') {
		const q = Number(p.key.slice(6));
		return parsePeriod(q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`)!;
	}
	const month = Number(p.key.slice(5, 7));
	return parsePeriod(month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`)!;
}

/** The same period one year earlier, for year-on-year change. */
export function lastYearPeriod(p: AssessmentPeriod): AssessmentPeriod {
	return parsePeriod(`${Number(p.key.slice(0, 4)) - 1}${p.key.slice(4)}`)!;
}

/** The month before the current one: the last whole month, what a circular is usually drawn up for. */
export function defaultPeriod(today: string): AssessmentPeriod {
	return previousPeriod(parsePeriod(today.slice(0, 7))!);
}

/** Change in percent, one decimal place past the point kept as two (the seed's −45.45 %), or null from zero. */
export function percentChange(now: number, before: number): number | null {
	if (before === 0) return null;
	return Math.round(((now - before) / before) * 10_000) / 100;
}

/** The figures of one unit (township or department) in a period; null where there is nothing to measure. */
export type UnitFigures = Record<Measure, number | null>;

export interface ScoredUnit {
	id: number;
	name: string;
	figures: UnitFigures;
	/** 0–100 per measure: the best unit 100, the worst 0, linear between. */
	scores: Partial<Record<Measure, number>>;
	total: number;
	rank: number;
}

/**
 * Scores and ranks units. Each measure is scaled across the units that have a figure for it (best 100,
 * worst 0; all equal: 100 each), so measures of different sizes weigh as their weights say. A unit
 * without a figure for a measure (no matters concluded, say) is scored on the others, their weights
 * scaled up. Ties share a rank (1, 2, 2, 4).
 */
export function rankUnits(units: { id: number; name: string; figures: UnitFigures }[], weights: Record<Measure, number>): ScoredUnit[] {
	const scored = units.map((u) => ({ ...u, scores: {} as Partial<Record<Measure, number>>, total: 0, rank: 0 }));
	for (const measure of MEASURES) {
		const values = scored.map((u) => u.figures[measure]).filter((v): v is number => v != null);
		if (values.length === 0) continue;
		const [min, max] = [Math.min(...values), Math.max(...values)];
		for (const u of scored) {
			const v = u.figures[measure];
			if (v == null) continue;
			const position = max === min ? 1 : (v - min) / (max - min);
			u.scores[measure] = Math.round((HIGHER_IS_BETTER[measure] ? position : 1 - position) * 1000) / 10;
		}
	}
	for (const u of scored) {
		let sum = 0;
		let weight = 0;
		for (const measure of MEASURES) {
			const s = u.scores[measure];
			if (s == null || weights[measure] <= 0) continue;
			sum += s * weights[measure];
			weight += weights[measure];
		}
		u.total = weight === 0 ? 0 : Math.round((sum / weight) * 10) / 10;
	}
	scored.sort((a, b) => b.total - a.total || a.id - b.id);
	scored.forEach((u, i) => (u.rank = i > 0 && u.total === scored[i - 1].total ? scored[i - 1].rank : i + 1));
	return scored;
}

/** The weights form: every measure a whole number 0–100, not all zero. */
export const weightsInput = z
	.object({
		note: freeText(200),
		...Object.fromEntries(MEASURES.map((m) => [m, z.coerce.number({ message: 'as_err_weight' }).int('as_err_weight').min(0, 'as_err_weight').max(100, 'as_err_weight')]))
	})
	.refine((w) => MEASURES.some((m) => (w as unknown as Record<string, number>)[m] > 0), { message: 'as_err_weights_zero', path: ['_'] });

export const practiceInput = z.object({
	period: z.string({ message: 'err_required' }).refine((p) => parsePeriod(p) !== null, 'as_err_period'),
	unit: freeText(60),
	text: freeText(500)
});
