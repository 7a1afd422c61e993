import type { EChartsCoreOption } from 'echarts/core';

/** The brand red of the app and a quiet grey for the comparison series. */
const RED = '#c0392b';
const GREY = '#9aa0a6';

/** The last day of a month 'YYYY-MM'. */
export function monthEnd(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Horizontal bars, biggest first from the top: long Chinese labels stay readable on a phone. */
export function barOption(labels: string[], values: number[]): EChartsCoreOption {
	return {
		animation: false,
		grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
		tooltip: { trigger: 'item' },
		xAxis: { type: 'value', minInterval: 1 },
		yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { fontSize: 14 } },
		series: [{ type: 'bar', data: values, itemStyle: { color: RED }, label: { show: true, position: 'right' }, cursor: 'pointer' }]
	};
}

export function lineOption(labels: string[], series: { name: string; data: number[] }[]): EChartsCoreOption {
	return {
		animation: false,
		grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
		tooltip: { trigger: 'axis' },
		legend: { top: 0 },
		xAxis: { type: 'category', data: labels },
		yAxis: { type: 'value', minInterval: 1 },
		series: series.map((s, i) => ({ type: 'line', name: s.name, data: s.data, itemStyle: { color: i === 0 ? RED : GREY }, lineStyle: { type: i === 0 ? 'solid' : 'dashed' } }))
	};
}
