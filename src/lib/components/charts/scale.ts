/** The brand red of the app and a quiet grey for a comparison series (charts in this folder). */
export const CHART_RED = '#c0392b';
export const CHART_GREY = '#6b7078';

/**
 * A round top for a value axis and its ticks: 0, step, 2·step … ≥ max, with a step of 1, 2 or 5 × 10ⁿ
 * (whole numbers: the charts count cases), about `count` ticks.
 */
export function niceTicks(max: number, count = 4): number[] {
	if (max <= 0) return [0, 1];
	const raw = Math.max(1, max / count);
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
	const ticks: number[] = [];
	for (let v = 0; v < max + step; v += step) ticks.push(v);
	return ticks;
}
