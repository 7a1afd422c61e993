import { m } from '$lib/paraglide/messages';
import type { AssessmentPeriod, Measure } from '$lib/server/assessment/rules';

/** A measure's name in the reader's language. */
export const measureLabel = (measure: Measure): string =>
	({
		intake_change: m.as_m_intake_change,
		accepted_on_time: m.as_m_accepted_on_time,
		concluded_on_time: m.as_m_concluded_on_time,
		first_resolved: m.as_m_first_resolved,
		repeat_share: m.as_m_repeat_share,
		beijing: m.as_m_beijing,
		province: m.as_m_province,
		orders_overdue: m.as_m_orders_overdue,
		satisfaction: m.as_m_satisfaction
	})[measure]();

export const periodLabel = (p: AssessmentPeriod): string =>
	p.kind === 'year'
		? m.as_period_year({ year: p.key })
		: p.kind === 'quarter'
			? m.as_period_quarter({ year: p.key.slice(0, 4), quarter: p.key.slice(6) })
			: m.as_period_month({ year: p.key.slice(0, 4), month: String(Number(p.key.slice(5, 7))) });
