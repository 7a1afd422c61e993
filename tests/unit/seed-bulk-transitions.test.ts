import { describe, expect, it } from 'vitest';
import { FROM_STATES, TRANSITIONS } from '../../src/lib/server/cases/rules';
import type { CaseStatus, TransitionName } from '../../src/lib/server/cases/states';
import { CATEGORY_MIX, Rng } from '../../scripts/seed-bulk-data';
import { generateMatter, type Area, type History, type Matter, type Staff } from '../../scripts/seed-bulk-matter';

/**
 * `npm run seed:bulk` walks each matter through the case loop: every step it writes must be one the
 * app's state machine allows from where the matter stood, and the row must end where the walk did.
 */
const county = { id: 1, path: '/1/', cityId: null };
const areas: Area[] = [
	{ townshipId: 2, townshipName: '涂埠镇', townshipIndex: 0, villageId: null, villageName: null, path: '/1/2/', weight: 1 },
	{ townshipId: 2, townshipName: '涂埠镇', townshipIndex: 0, villageId: 3, villageName: '城南村', path: '/1/2/3/', weight: 3 },
	{ townshipId: 4, townshipName: '虬津镇', townshipIndex: 1, villageId: 5, villageName: '虬津村', path: '/1/4/5/', weight: 2 }
];
const staff: Staff = {
	townships: new Map([
		[2, { mediator: 10, agent: 11, grid: 12 }],
		[4, { mediator: 20, agent: 21, grid: 22 }]
	]),
	departments: new Map(['县信访局', '县司法局', '县自然资源局', '县人力资源和社会保障局', '县住房和城乡建设局', '县民政局', '县生态环境局', '县卫生健康委员会', '县农业农村局', '县公安局', '县市场监督管理局', '县教育体育局'].map((name, i) => [name, 100 + i])),
	demo: { mediator: 30, agent: 31, grid: 32, party: 33, supervisor: 34 }
};
const categories = new Map(CATEGORY_MIX.map(([code], i) => [code, i + 1]));

function matters(n: number): Matter[] {
	const rng = new Rng(2026);
	const now = new Date('2026-06-01T04:00:00Z');
	const history: History = new Map();
	return Array.from({ length: n }, (_, i) => {
		// Spread over three years, as the seeder's registrations are.
		const registeredAt = new Date(now.getTime() - ((i * 7919) % (3 * 365)) * 86_400_000 - 3_600_000);
		return generateMatter(rng, { registeredAt, now, number: `2026-${String(i + 1).padStart(6, '0')}`, county, areas, staff, categories, history });
	});
}

const isTransition = (kind: string): kind is TransitionName => (TRANSITIONS as readonly string[]).includes(kind);

describe('the bulk seeder', () => {
	const generated = matters(2000);

	it('takes only transitions the case state machine allows, each from the state the matter was in', () => {
		const taken = new Set<string>();
		const wrong: string[] = [];
		for (const m of generated) {
			let status: CaseStatus = 'registered';
			for (const e of m.events) {
				if (!isTransition(e.kind)) continue;
				if (e.fromStatus !== status || !FROM_STATES[e.kind].includes(status)) wrong.push(`${m.row.number}: ${e.kind} from ${status} (written as from ${e.fromStatus})`);
				status = e.toStatus as CaseStatus;
				taken.add(e.kind);
			}
			if (m.row.status !== status || m.clocks.status !== status) wrong.push(`${m.row.number}: row ${m.row.status}, walk ended ${status}`);
		}
		expect(wrong).toEqual([]);
		// The walk covers the loop, not one easy path.
		for (const kind of ['accept', 'reject', 'escalate', 'assign', 'start_mediation', 'extend', 'conclude', 'start_follow_up', 'archive', 'request_review', 'answer_review']) {
			expect(taken, kind).toContain(kind);
		}
	});

	it('keeps the row agreeing with its timeline: place, dates and escalation one level at a time', () => {
		const wrong: string[] = [];
		for (const m of generated) {
			const kinds = m.events.map((e) => e.kind);
			if ((m.row.acceptedAt !== null) !== kinds.includes('accept')) wrong.push(`${m.row.number}: acceptedAt`);
			if ((m.row.concludedAt !== null) !== kinds.includes('conclude')) wrong.push(`${m.row.number}: concludedAt`);
			if (!m.row.placePath.startsWith(county.path)) wrong.push(`${m.row.number}: place ${m.row.placePath}`);
			for (const note of m.events.filter((e) => e.kind === 'staff_note' && (e.data as { transition?: string }).transition === 'escalate')) {
				const { fromPlacePath, toPlacePath } = note.data as { fromPlacePath: string; toPlacePath: string };
				if (!fromPlacePath.startsWith(toPlacePath) || fromPlacePath.split('/').length !== toPlacePath.split('/').length + 1) wrong.push(`${m.row.number}: escalated ${fromPlacePath} → ${toPlacePath}`);
			}
		}
		expect(wrong).toEqual([]);
	});
});
