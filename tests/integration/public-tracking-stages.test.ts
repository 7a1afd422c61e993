import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { agreements, cases } from '../../src/lib/server/db/schema';
import { endSession, startSession } from '../../src/lib/server/mediation/sessions/change-session';
import { scheduleSession } from '../../src/lib/server/mediation/sessions/schedule-session';
import { loadPublicView } from '../../src/lib/server/public/load-public-view';
import { effectiveAgreement } from './pdf-fixtures';
import { inHours, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The public tracking page's plain stages (受理 → 交办 → 调解 → 协议 → 办结), each with its date, and
 * words for every public row of the mediation: a case whose mediator holds sessions without stepping
 * it to 在调解 must not read "已交办，正在办理" to the resident until it is concluded.
 */
let w: PanelWorld;
beforeAll(async () => {
	w = await setUpPanelWorld();
}, 240_000);
afterAll(() => w.t.destroy());

const stagesOf = async () => {
	const view = await loadPublicView(w.t.db, w.caseId);
	return { view, reached: Object.fromEntries(view.stages.map((s) => [s.stage, s.on !== null])) };
};

describe('public tracking stages', () => {
	it('follow the matter from acceptance through a held session and an agreement to its conclusion', async () => {
		const { mediator } = w.viewers;
		let { view, reached } = await stagesOf();
		expect(view.stage).toBeNull();
		expect(view.stages.map((s) => s.stage)).toEqual(['accepted', 'assigned', 'mediating', 'agreed', 'concluded']);

		await transitionCase(w.t.db, mediator, w.caseId, { type: 'accept' });
		await transitionCase(w.t.db, mediator, w.caseId, { type: 'assign', mediatorId: String(mediator.id) });
		({ view, reached } = await stagesOf());
		expect(view.stage).toBe('assigned');
		expect(reached).toEqual({ accepted: true, assigned: true, mediating: false, agreed: false, concluded: false });

		// A session scheduled is news, not yet mediation; started, it is — with the case still 'assigned'.
		const local = new Date(inHours(2).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
		const { sessionId } = await scheduleSession(w.t.db, mediator, w.caseId, { scheduledAt: local, location: '城南村调解室', openness: 'closed' });
		expect((await stagesOf()).view.stage).toBe('assigned');
		const started = new Date();
		await startSession(w.t.db, mediator, { sessionId: String(sessionId), caseId: w.caseId }, { now: started });
		({ view, reached } = await stagesOf());
		const [{ status }] = await w.t.db.select({ status: cases.status }).from(cases).where(eq(cases.id, w.caseId));
		expect(status).toBe('assigned');
		expect(view.stage).toBe('mediating');
		expect(view.stages.find((s) => s.stage === 'mediating')?.on).toEqual(started);
		await endSession(w.t.db, mediator, { sessionId: String(sessionId), caseId: w.caseId });

		// The mediator's own step later does not move the date mediation began.
		await transitionCase(w.t.db, mediator, w.caseId, { type: 'start_mediation' });
		expect((await stagesOf()).view.stages.find((s) => s.stage === 'mediating')?.on).toEqual(started);

		const { hash, agreementId } = await effectiveAgreement(w, w.caseId);
		({ view, reached } = await stagesOf());
		const [agreement] = await w.t.db.select({ at: agreements.effectiveAt }).from(agreements).where(eq(agreements.caseId, w.caseId));
		expect(view.stage).toBe('agreed');
		expect(view.stages.find((s) => s.stage === 'agreed')?.on).toEqual(agreement.at);

		await transitionCase(w.t.db, mediator, w.caseId, { type: 'conclude', reason: '双方达成协议', summary: '围墙后移三十厘米。' });
		({ view, reached } = await stagesOf());
		expect(view.stage).toBe('concluded');
		expect(Object.values(reached).every(Boolean)).toBe(true);

		// Each public row of the mediation is there with what the page words it from, and nothing more.
		const mediation = view.timeline.filter((e) => e.kind.startsWith('session_') || e.kind.startsWith('agreement_'));
		expect(mediation.map((e) => [e.kind, e.seq, e.text])).toEqual([
			['session_scheduled', 1, null],
			['session_ended', 1, null],
			['agreement_frozen', null, null],
			['agreement_signed', null, null],
			['agreement_signed', null, null],
			['agreement_effective', null, null]
		]);
		const json = JSON.stringify(view);
		for (const secret of [hash, `"agreementId":${agreementId}`, `"sessionId"`, '城南村调解室', mediator.name]) expect(json, secret).not.toContain(secret);
	});

	it('shows no stages for a matter that was not accepted', async () => {
		const other = await setUpPanelWorld();
		try {
			await transitionCase(other.t.db, other.viewers.mediator, other.caseId, { type: 'reject', reason: '不属于受理范围' });
			const view = await loadPublicView(other.t.db, other.caseId);
			expect(view.stages).toEqual([]);
			expect(view.stage).toBeNull();
		} finally {
			await other.t.destroy();
		}
	}, 240_000);
});
