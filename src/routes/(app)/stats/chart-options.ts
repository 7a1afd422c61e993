/** The last day of a month 'YYYY-MM'. */
export function monthEnd(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** A figure table's rows as a bar chart's (src/lib/components/charts/BarChart.svelte). */
export function barRows(rows: { label: string; count: number }[]): { label: string; value: number }[] {
	return rows.map((r) => ({ label: r.label, value: r.count }));
}
