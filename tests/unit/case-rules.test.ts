import { describe, expect, it } from 'vitest';
import { allowedTransitions, decide } from '../../src/lib/server/cases/rules';
import type { CaseActor, CaseCommand, CaseSnapshot, Decision, TransitionName } from '../../src/lib/server/cases/states';
import type { RoleName } from '../../src/lib/types';

/** The "linked" user: party, filer and assigned mediator of every fixture case. */
const L = 7;
/** A user with no personal link to any fixture case. */
const OTHER = 100;
const DEPT = 5;
/** Monday 10 March 2025, 10:00 in Shanghai. */
const NOW = new Date('2025-03-10T02:00:00Z');
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

const VILLAGE = '/1/4/17/';
const TOWNSHIP = '/1/4/';

function snapshot(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
	return {
		status: 'registered',
		placePath: VILLAGE,
		placeKind: 'village',
		departmentId: DEPT,
		mediatorId: L,
		filedById: L,
		partyUserIds: [L, 8],
		handleBy: null,
		registeredAt: at('2025-03-03T09:00:00'),
		acceptedAt: null,
		notAcceptedAt: null,
		routedAt: null,
		concludedAt: null,
		reviewStage: 'none',
		reviewRequestedAt: null,
		reviewAnsweredAt: null,
		reReviewRequestedAt: null,
		reReviewAnsweredAt: null,
		extension: null,
		...overrides
	};
}

const accepted = { acceptedAt: at('2025-03-04T09:00:00') };
const routed = { ...accepted, routedAt: at('2025-03-04T15:00:00'), handleBy: '2025-05-06' };
const concluded = { ...routed, concludedAt: at('2025-03-05T09:00:00') };

interface Fixture {
	/** The case in a state the transition may start from. */
	right: CaseSnapshot;
	/** The case in a state it may not. */
	wrong: CaseSnapshot;
	command: CaseCommand;
	/** A place above the case's, the case's own, and a sibling of it. */
	above: string;
	same: string;
	sibling: string;
}

const atVillage = { above: TOWNSHIP, same: VILLAGE, sibling: '/1/4/18/' };
const atTownship = { above: '/1/', same: TOWNSHIP, sibling: '/1/5/' };

const FIXTURES: Record<TransitionName, Fixture> = {
	accept: { ...atVillage, right: snapshot(), wrong: snapshot({ status: 'accepted', ...accepted }), command: { type: 'accept' } },
	reject: {
		...atVillage,
		right: snapshot(),
		wrong: snapshot({ status: 'accepted', ...accepted }),
		command: { type: 'reject', reason: '不属于信访事项' }
	},
	assign: {
		...atVillage,
		right: snapshot({ status: 'accepted', ...accepted }),
		wrong: snapshot(),
		command: { type: 'assign', mediatorId: 300 }
	},
	start_mediation: {
		...atVillage,
		right: snapshot({ status: 'assigned', ...routed }),
		wrong: snapshot({ status: 'accepted', ...accepted }),
		command: { type: 'start_mediation' }
	},
	conclude: {
		...atVillage,
		right: snapshot({ status: 'in_mediation', ...routed }),
		wrong: snapshot({ status: 'accepted', ...accepted }),
		command: { type: 'conclude', reason: '调解成功', summary: '双方达成协议，当场履行。' }
	},
	start_follow_up: {
		...atVillage,
		right: snapshot({ status: 'concluded', ...concluded }),
		wrong: snapshot({ status: 'in_mediation', ...routed }),
		command: { type: 'start_follow_up' }
	},
	archive: {
		...atVillage,
		right: snapshot({ status: 'follow_up', ...concluded }),
		wrong: snapshot({ status: 'in_mediation', ...routed }),
		command: { type: 'archive' }
	},
	escalate: {
		...atVillage,
		right: snapshot({ status: 'assigned', ...routed }),
		wrong: snapshot({ status: 'concluded', ...concluded }),
		command: { type: 'escalate', reason: '村级无法化解' }
	},
	return_down: {
		...atTownship,
		right: snapshot({ status: 'accepted', ...accepted, placePath: TOWNSHIP, placeKind: 'township' }),
		wrong: snapshot({ status: 'concluded', ...concluded, placePath: TOWNSHIP, placeKind: 'township' }),
		command: { type: 'return_down', toPlacePath: VILLAGE, reason: '由村调委会就地化解' }
	},
	extend: {
		...atVillage,
		right: snapshot({ status: 'in_mediation', ...routed }),
		wrong: snapshot(),
		command: { type: 'extend', days: 10, reason: '需现场勘验' }
	},
	request_review: {
		...atVillage,
		right: snapshot({ status: 'concluded', ...concluded }),
		wrong: snapshot({ status: 'in_mediation', ...routed }),
		command: { type: 'request_review', reason: '对答复不服' }
	},
	request_re_review: {
		...atVillage,
		right: snapshot({
			status: 'concluded',
			...concluded,
			reviewStage: 'review_answered',
			reviewRequestedAt: at('2025-03-06T09:00:00'),
			reviewAnsweredAt: at('2025-03-07T09:00:00')
		}),
		wrong: snapshot({ status: 'concluded', ...concluded }),
		command: { type: 'request_re_review', reason: '对复查意见不服' }
	},
	answer_review: {
		...atVillage,
		right: snapshot({
			status: 'concluded',
			...concluded,
			reviewStage: 'review_requested',
			reviewRequestedAt: at('2025-03-06T09:00:00')
		}),
		wrong: snapshot({ status: 'concluded', ...concluded }),
		command: { type: 'answer_review', summary: '维持原答复意见' }
	}
};

const COLUMNS = ['above', 'same', 'sibling', 'linked', 'department', 'wrongState'] as const;
type Column = (typeof COLUMNS)[number];

/** The actor of each column for a role: where they sit relative to the fixture case. */
function actorFor(role: RoleName, column: Column, f: Fixture): CaseActor {
	const base = { roles: [role], departmentId: null };
	switch (column) {
		case 'above':
			return { ...base, id: OTHER, placePath: f.above };
		case 'same':
			return { ...base, id: OTHER, placePath: f.same };
		case 'sibling':
			return { ...base, id: OTHER, placePath: f.sibling };
		case 'linked':
			// Party, filer and mediator of the case, but at a place outside it.
			return { ...base, id: L, placePath: f.sibling };
		case 'department':
			return { ...base, id: OTHER, placePath: '/1/', departmentId: DEPT };
		case 'wrongState':
			// In every scope at once, so that only the state can be at fault.
			return { ...base, id: L, placePath: f.above };
	}
}

const ok = 'ok';
const F = 'forbidden';
const O = 'out_of_scope';
const W = 'wrong_state';
type Outcome = typeof ok | typeof F | typeof O | typeof W;
type Row = readonly [above: Outcome, same: Outcome, sibling: Outcome, linked: Outcome, department: Outcome, wrongState: Outcome];

const NONE: Row = [F, F, F, F, F, F];

/** Roles that advise or administer: no transition at all (admin is IT, not handling). */
const NO_POWERS: Record<TransitionName, Row> = {
	accept: NONE,
	reject: NONE,
	assign: NONE,
	start_mediation: NONE,
	conclude: NONE,
	start_follow_up: NONE,
	archive: NONE,
	escalate: NONE,
	return_down: NONE,
	extend: NONE,
	request_review: NONE,
	request_re_review: NONE,
	answer_review: NONE
};

/** Agents and grid workers: file, then ask for review for the resident they filed for. */
const FILER_POWERS: Record<TransitionName, Row> = {
	accept: NONE,
	reject: NONE,
	assign: NONE,
	start_mediation: NONE,
	conclude: NONE,
	start_follow_up: NONE,
	archive: NONE,
	escalate: NONE,
	return_down: NONE,
	extend: NONE,
	request_review: [O, O, O, ok, O, W],
	request_re_review: NONE,
	answer_review: NONE
};

/**
 * Expected outcomes, written out by hand. Columns: actor at the place above the case, at the case's own
 * place, at a sibling place, personally linked (party/filer/assigned mediator) but placed outside,
 * member of the case's department, and in scope with the case in a wrong state.
 */
const TABLE: Record<RoleName, Record<TransitionName, Row>> = {
	supervisor: {
		accept: [ok, ok, O, O, O, W],
		reject: [ok, ok, O, O, O, W],
		assign: [ok, ok, O, O, ok, W],
		start_mediation: NONE,
		conclude: [ok, ok, O, O, ok, W],
		start_follow_up: [ok, ok, O, O, ok, W],
		archive: [ok, ok, O, O, O, W],
		escalate: [ok, ok, O, O, O, W],
		return_down: [ok, ok, O, O, O, W],
		extend: [ok, ok, O, O, ok, W],
		request_review: NONE,
		request_re_review: NONE,
		answer_review: [ok, ok, O, O, O, W]
	},
	mediator: {
		accept: [ok, ok, O, O, O, W],
		reject: [ok, ok, O, O, O, W],
		assign: [ok, ok, O, O, ok, W],
		start_mediation: [O, O, O, ok, O, W],
		conclude: [ok, ok, O, ok, ok, W],
		start_follow_up: [ok, ok, O, O, ok, W],
		archive: [ok, ok, O, O, O, W],
		escalate: [ok, ok, O, O, O, W],
		return_down: [ok, ok, O, O, O, W],
		extend: [ok, ok, O, O, ok, W],
		request_review: NONE,
		request_re_review: NONE,
		answer_review: NONE
	},
	admin: NO_POWERS,
	legal_advisor: NO_POWERS,
	legal_villager: NO_POWERS,
	panelist: NO_POWERS,
	agent: FILER_POWERS,
	grid_worker: FILER_POWERS,
	party: {
		accept: NONE,
		reject: NONE,
		assign: NONE,
		start_mediation: NONE,
		conclude: NONE,
		start_follow_up: NONE,
		archive: NONE,
		escalate: NONE,
		return_down: NONE,
		extend: NONE,
		request_review: [O, O, O, ok, O, W],
		request_re_review: [O, O, O, ok, O, W],
		answer_review: NONE
	}
};

const outcome = (d: Decision): Outcome | string => (d.ok ? ok : d.reason);

const cases = Object.entries(TABLE).flatMap(([role, row]) =>
	Object.entries(row).flatMap(([transition, expected]) =>
		COLUMNS.map((column, i) => ({ role: role as RoleName, transition: transition as TransitionName, column, expected: expected[i] }))
	)
);

describe('role × transition × scope table', () => {
	it('covers every role and transition', () => {
		expect(cases).toHaveLength(9 * 13 * COLUMNS.length);
	});

	it.each(cases)('$role $transition ($column) → $expected', ({ role, transition, column, expected }) => {
		const f = FIXTURES[transition];
		const c = column === 'wrongState' ? f.wrong : f.right;
		const actor = actorFor(role, column, f);
		expect(outcome(decide(c, actor, f.command, NOW))).toBe(expected);
		// The UI's list of actions must agree with what decide accepts.
		expect(allowedTransitions(c, actor, NOW).includes(transition)).toBe(expected === ok);
	});
});

describe('the resulting state of each transition', () => {
	const supervisor = (placePath: string): CaseActor => ({ id: OTHER, roles: ['supervisor'], placePath, departmentId: null });
	const expectedStatus: Record<TransitionName, string> = {
		accept: 'accepted',
		reject: 'not_accepted',
		assign: 'assigned',
		start_mediation: 'in_mediation',
		conclude: 'concluded',
		start_follow_up: 'follow_up',
		archive: 'archived',
		escalate: 'accepted',
		return_down: 'accepted',
		extend: 'in_mediation',
		request_review: 'concluded',
		request_re_review: 'concluded',
		answer_review: 'concluded'
	};
	it.each(Object.entries(expectedStatus))('%s → %s, with a timeline entry', (transition, status) => {
		const f = FIXTURES[transition as TransitionName];
		const role: RoleName | null =
			transition === 'start_mediation' ? 'mediator' : transition.startsWith('request_') ? 'party' : null;
		const actor = role ? { ...supervisor(f.sibling), id: L, roles: [role] } : supervisor(f.above);
		const d = decide(f.right, actor, f.command, NOW);
		if (!d.ok) throw new Error(`refused: ${d.reason} ${d.field}`);
		expect(d.next.status).toBe(status);
		expect(d.timeline).toMatchObject({ transition, at: NOW, actorId: actor.id, fromStatus: f.right.status, toStatus: status });
	});
});

const staff = (placePath: string, roles: RoleName[] = ['supervisor'], departmentId: number | null = null): CaseActor => ({
	id: OTHER,
	roles,
	placePath,
	departmentId
});
const refusal = (d: Decision) => (d.ok ? 'ok' : { reason: d.reason, field: d.field });

describe('scope', () => {
	const registered = snapshot();
	const accept: CaseCommand = { type: 'accept' };

	it('puts the county over every case, and a township over its own villages only', () => {
		expect(refusal(decide(registered, staff('/1/'), accept, NOW))).toBe('ok');
		expect(refusal(decide(registered, staff('/1/5/'), accept, NOW))).toEqual({ reason: 'out_of_scope', field: undefined });
	});

	it('does not let a village act on a case at its township', () => {
		const townshipCase = snapshot({ placePath: TOWNSHIP, placeKind: 'township' });
		expect(refusal(decide(townshipCase, staff(VILLAGE), accept, NOW))).toEqual({ reason: 'out_of_scope', field: undefined });
	});

	it('compares whole path segments: village 1 is not above village 17', () => {
		expect(refusal(decide(registered, staff('/1/4/1/'), accept, NOW))).toMatchObject({ reason: 'out_of_scope' });
	});

	it.each(['', '/', '/1', '1/', '/1//', '/a/'])('treats a malformed actor path %j as no scope', (placePath) => {
		expect(refusal(decide(registered, staff(placePath), accept, NOW))).toMatchObject({ reason: 'out_of_scope' });
	});

	it('gives department staff only the cases routed to their department', () => {
		const c = snapshot({ status: 'in_mediation', ...routed, departmentId: 6 });
		const conclude = FIXTURES.conclude.command;
		expect(refusal(decide(c, staff('/1/', ['supervisor'], DEPT), conclude, NOW))).toMatchObject({ reason: 'out_of_scope' });
		expect(refusal(decide(c, staff('/1/', ['supervisor'], 6), conclude, NOW))).toBe('ok');
	});

	it('lets department staff pick a mediator but not move the case to another place or department', () => {
		const c = snapshot({ status: 'assigned', ...routed });
		const member = staff('/1/', ['mediator'], DEPT);
		expect(refusal(decide(c, member, { type: 'assign', mediatorId: 301 }, NOW))).toBe('ok');
		expect(refusal(decide(c, member, { type: 'assign', placePath: VILLAGE, mediatorId: 301 }, NOW))).toBe('ok');
		expect(refusal(decide(c, member, { type: 'assign', departmentId: 6 }, NOW))).toEqual({
			reason: 'out_of_scope',
			field: 'departmentId'
		});
		const atTownshipCase = snapshot({ status: 'assigned', ...routed, placePath: TOWNSHIP, placeKind: 'township' });
		expect(refusal(decide(atTownshipCase, member, { type: 'assign', placePath: VILLAGE }, NOW))).toEqual({
			reason: 'out_of_scope',
			field: 'placePath'
		});
	});

	it('adds up the grants of several roles and records the one used', () => {
		const d = decide(registered, staff(TOWNSHIP, ['admin', 'supervisor']), accept, NOW);
		expect(d.ok && d.timeline.actedAs).toBe('supervisor');
		const adviserAndParty = { ...staff('/1/9/', ['legal_advisor', 'party']), id: L };
		const review = decide(FIXTURES.request_review.right, adviserAndParty, FIXTURES.request_review.command, NOW);
		expect(review.ok && review.timeline.actedAs).toBe('party');
		const agent = { ...staff('/1/9/', ['agent']), id: L };
		const onBehalf = decide(FIXTURES.request_review.right, agent, FIXTURES.request_review.command, NOW);
		expect(onBehalf.ok && onBehalf.timeline.actedAs).toBe('agent');
	});

	it('judges the actor before the state: an outsider learns nothing about the case', () => {
		const concludedCase = snapshot({ status: 'concluded', ...concluded });
		expect(refusal(decide(concludedCase, staff('/1/5/'), accept, NOW))).toMatchObject({ reason: 'out_of_scope' });
		expect(refusal(decide(concludedCase, staff(TOWNSHIP, ['panelist']), accept, NOW))).toMatchObject({ reason: 'forbidden' });
	});
});

describe('transition details', () => {
	const township = staff(TOWNSHIP);
	const county = staff('/1/');

	it('accepts, stamping the acceptance and keeping a staff note private', () => {
		const d = decide(snapshot(), township, { type: 'accept', note: '  已电话告知  ' }, NOW);
		expect(d).toMatchObject({
			ok: true,
			next: { status: 'accepted', acceptedAt: NOW },
			timeline: { text: '已电话告知', publicText: false, actedAs: 'supervisor' }
		});
	});

	it('rejects only with a reason, which the petitioner sees', () => {
		expect(refusal(decide(snapshot(), township, { type: 'reject', reason: '   ' }, NOW))).toEqual({ reason: 'invalid', field: 'reason' });
		expect(refusal(decide(snapshot(), township, { type: 'reject' } as CaseCommand, NOW))).toEqual({ reason: 'invalid', field: 'reason' });
		expect(refusal(decide(snapshot(), township, { type: 'reject', reason: '理'.repeat(501) }, NOW))).toEqual({
			reason: 'invalid',
			field: 'reason'
		});
		expect(refusal(decide(snapshot(), township, { type: 'reject', reason: 'bad\u0000' }, NOW))).toEqual({ reason: 'invalid', field: 'reason' });
		const d = decide(snapshot(), township, { type: 'reject', reason: '已通过诉讼途径解决' }, NOW);
		expect(d).toMatchObject({ ok: true, next: { status: 'not_accepted', notAcceptedAt: NOW }, timeline: { publicText: true } });
	});

	describe('assign', () => {
		const acceptedCase = snapshot({ status: 'accepted', ...accepted, mediatorId: null, departmentId: null });

		it('needs a target', () => {
			expect(refusal(decide(acceptedCase, township, { type: 'assign' }, NOW))).toEqual({ reason: 'invalid', field: 'target' });
			expect(refusal(decide(acceptedCase, township, { type: 'assign', mediatorId: null }, NOW))).toEqual({
				reason: 'invalid',
				field: 'target'
			});
		});

		it('routes to a mediator, defaulting the working deadline to the statutory one and stopping the route clock', () => {
			const d = decide(acceptedCase, township, { type: 'assign', mediatorId: 300 }, NOW);
			// Accepted 4 March 2025 + 60 days = Saturday 3 May, inside the Labour Day holiday (1–5 May) → 6 May.
			expect(d).toMatchObject({
				ok: true,
				next: { status: 'assigned', mediatorId: 300, departmentId: null, handleBy: '2025-05-06', routedAt: NOW }
			});
		});

		it('keeps the first routing date when re-routing', () => {
			const c = snapshot({ status: 'in_mediation', ...routed });
			const d = decide(c, township, { type: 'assign', mediatorId: 301 }, NOW);
			expect(d.ok && d.next.routedAt).toEqual(routed.routedAt);
			expect(d.ok && d.next.handleBy).toBe('2025-05-06');
		});

		it('routes down to a place below, taking its kind, but never up or sideways', () => {
			const c = snapshot({ status: 'accepted', ...accepted, placePath: '/1/', placeKind: 'county' });
			expect(decide(c, county, { type: 'assign', placePath: VILLAGE }, NOW)).toMatchObject({
				ok: true,
				next: { placePath: VILLAGE, placeKind: 'village' },
				timeline: { details: { fromPlacePath: '/1/', toPlacePath: VILLAGE } }
			});
			expect(decide(c, county, { type: 'assign', placePath: '/1/' }, NOW)).toMatchObject({ ok: true, next: { placeKind: 'county' } });
			expect(refusal(decide(acceptedCase, county, { type: 'assign', placePath: TOWNSHIP }, NOW))).toEqual({
				reason: 'invalid',
				field: 'placePath'
			});
			expect(refusal(decide(acceptedCase, county, { type: 'assign', placePath: '/1/4/18/' }, NOW))).toEqual({
				reason: 'invalid',
				field: 'placePath'
			});
			expect(refusal(decide(acceptedCase, county, { type: 'assign', placePath: '/1/4/17/99/' }, NOW))).toEqual({
				reason: 'invalid',
				field: 'placePath'
			});
		});

		it('checks ids', () => {
			expect(refusal(decide(acceptedCase, township, { type: 'assign', mediatorId: 0 }, NOW))).toEqual({ reason: 'invalid', field: 'mediatorId' });
			expect(refusal(decide(acceptedCase, township, { type: 'assign', departmentId: '3' as unknown as number }, NOW))).toEqual({
				reason: 'invalid',
				field: 'departmentId'
			});
		});

		it.each([
			['2025-03-09', 'invalid'],
			['2025-03-10', 'ok'],
			['2025-05-06', 'ok'],
			['2025-05-07', 'invalid'],
			['2025-02-30', 'invalid'],
			['next week', 'invalid']
		])('takes a working deadline %s from today to the statutory date: %s', (handleBy, expected) => {
			const d = decide(acceptedCase, township, { type: 'assign', departmentId: 9, handleBy }, NOW);
			expect(d.ok ? 'ok' : `${d.reason}`).toBe(expected);
			if (!d.ok) expect(d.field).toBe('handleBy');
		});
	});

	it('starts mediation only for the assigned mediator', () => {
		const c = snapshot({ status: 'assigned', ...routed, mediatorId: 300 });
		const assigned: CaseActor = { id: 300, roles: ['mediator'], placePath: '/1/9/', departmentId: null };
		expect(decide(c, assigned, { type: 'start_mediation' }, NOW)).toMatchObject({ ok: true, next: { status: 'in_mediation' } });
		expect(refusal(decide(c, { ...assigned, id: 301 }, { type: 'start_mediation' }, NOW))).toMatchObject({ reason: 'out_of_scope' });
	});

	it('concludes with a reason and a summary, both public', () => {
		const c = FIXTURES.conclude.right;
		expect(refusal(decide(c, township, { type: 'conclude', reason: '调解成功', summary: ' ' }, NOW))).toEqual({
			reason: 'invalid',
			field: 'summary'
		});
		expect(refusal(decide(c, township, { type: 'conclude', reason: '', summary: '已履行' }, NOW))).toEqual({
			reason: 'invalid',
			field: 'reason'
		});
		expect(decide(c, township, { type: 'conclude', reason: '调解成功', summary: '已履行' }, NOW)).toMatchObject({
			ok: true,
			next: { status: 'concluded', concludedAt: NOW },
			timeline: { text: '调解成功', summary: '已履行', publicText: true }
		});
	});

	it('can conclude a routed case without mediation (a department reply)', () => {
		const c = snapshot({ status: 'assigned', ...routed });
		expect(decide(c, staff('/1/', ['supervisor'], DEPT), FIXTURES.conclude.command, NOW)).toMatchObject({ ok: true });
	});

	it('does not archive while a review is pending, and archives a refused case', () => {
		const pending = snapshot({ status: 'follow_up', ...concluded, reviewStage: 'review_requested', reviewRequestedAt: NOW });
		expect(refusal(decide(pending, township, { type: 'archive' }, NOW))).toEqual({ reason: 'wrong_state', field: 'reviewStage' });
		const refused = snapshot({ status: 'not_accepted', notAcceptedAt: NOW });
		expect(decide(refused, township, { type: 'archive' }, NOW)).toMatchObject({ ok: true, next: { status: 'archived' } });
	});

	describe('escalate and return', () => {
		it('escalates a village case to its township, clearing the routing and keeping the clocks', () => {
			const d = decide(FIXTURES.escalate.right, staff(VILLAGE, ['mediator']), FIXTURES.escalate.command, NOW);
			expect(d).toMatchObject({
				ok: true,
				next: { status: 'accepted', placePath: TOWNSHIP, placeKind: 'township', departmentId: null, mediatorId: null, handleBy: null },
				timeline: { text: '村级无法化解', publicText: false, details: { fromPlacePath: VILLAGE, toPlacePath: TOWNSHIP } }
			});
			expect(d.ok && 'acceptedAt' in d.next).toBe(false);
			expect(d.ok && 'routedAt' in d.next).toBe(false);
		});

		it('leaves a registered case registered for the level above to decide', () => {
			expect(decide(snapshot(), staff(VILLAGE), { type: 'escalate', reason: '涉及跨村' }, NOW)).toMatchObject({
				ok: true,
				next: { status: 'registered', placePath: TOWNSHIP }
			});
		});

		it('escalates a township case to the county, and no further', () => {
			const c = snapshot({ placePath: TOWNSHIP, placeKind: 'township' });
			expect(decide(c, staff(TOWNSHIP), { type: 'escalate', reason: '涉及县直部门' }, NOW)).toMatchObject({
				ok: true,
				next: { placePath: '/1/', placeKind: 'county' }
			});
			const atCounty = snapshot({ placePath: '/1/', placeKind: 'county' });
			expect(refusal(decide(atCounty, county, { type: 'escalate', reason: '上交' }, NOW))).toEqual({
				reason: 'wrong_state',
				field: 'placeKind'
			});
			expect(refusal(decide(snapshot(), staff(VILLAGE), { type: 'escalate', reason: '' }, NOW))).toEqual({ reason: 'invalid', field: 'reason' });
		});

		it('returns a county case to a township under it, and only one level down', () => {
			const c = snapshot({ status: 'assigned', ...routed, placePath: '/1/', placeKind: 'county' });
			expect(decide(c, county, { type: 'return_down', toPlacePath: TOWNSHIP, reason: '属地处理' }, NOW)).toMatchObject({
				ok: true,
				next: { status: 'accepted', placePath: TOWNSHIP, placeKind: 'township', mediatorId: null }
			});
			for (const toPlacePath of [VILLAGE, '/1/', '/2/4/', 'x']) {
				expect(refusal(decide(c, county, { type: 'return_down', toPlacePath, reason: '属地处理' }, NOW))).toEqual({
					reason: 'invalid',
					field: 'toPlacePath'
				});
			}
		});

		it('cannot return a village case any lower', () => {
			const c = snapshot({ status: 'accepted', ...accepted });
			expect(refusal(decide(c, township, { type: 'return_down', toPlacePath: '/1/4/17/5/', reason: '—' }, NOW))).toEqual({
				reason: 'wrong_state',
				field: 'placeKind'
			});
		});
	});

	describe('extend', () => {
		// Accepted 4 March 2025: due 3 May + holiday → 6 May 2025.
		const c = snapshot({ status: 'in_mediation', ...routed });
		const extend = (days: number, reason = '需鉴定') => ({ type: 'extend', days, reason }) as CaseCommand;

		it('extends once, by 1 to 30 days, with a reason told to the petitioner', () => {
			expect(decide(c, township, extend(30), NOW)).toMatchObject({
				ok: true,
				next: { status: 'in_mediation', extension: { days: 30, reason: '需鉴定' }, handleBy: '2025-06-03' },
				timeline: { publicText: true, details: { extensionDays: 30, concludeBy: '2025-06-03' } }
			});
			expect(decide(c, township, extend(1), NOW)).toMatchObject({ ok: true });
		});

		it.each([0, 31, 2.5, -3, Number.NaN])('refuses %s days', (days) => {
			expect(refusal(decide(c, township, extend(days), NOW))).toEqual({ reason: 'invalid', field: 'days' });
		});

		it('refuses a missing reason', () => {
			expect(refusal(decide(c, township, extend(10, ''), NOW))).toEqual({ reason: 'invalid', field: 'reason' });
		});

		it('refuses a second extension', () => {
			const extended = { ...c, extension: { days: 5, reason: '需鉴定' } };
			expect(refusal(decide(extended, township, extend(5), NOW))).toEqual({ reason: 'wrong_state', field: 'extension' });
		});

		it('is possible up to the last day of the period, not after', () => {
			expect(decide(c, township, extend(10), at('2025-05-06T23:59:59'))).toMatchObject({ ok: true });
			expect(refusal(decide(c, township, extend(10), at('2025-05-07T00:00:00')))).toEqual({
				reason: 'window_closed',
				field: 'concludeBy'
			});
		});

		it('leaves a working deadline set by hand where it was', () => {
			const tight = { ...c, handleBy: '2025-04-01' };
			const d = decide(tight, township, extend(10), NOW);
			expect(d.ok && 'handleBy' in d.next).toBe(false);
		});
	});

	describe('review and re-review', () => {
		const party: CaseActor = { id: L, roles: ['party'], placePath: VILLAGE, departmentId: null };
		// Concluded 5 March 2025: 30 days → Friday 4 April, in the Qingming holiday (4–6 April) → Monday 7 April.
		const c = FIXTURES.request_review.right;

		it('opens the review window through its last day and closes it at midnight Shanghai time', () => {
			expect(decide(c, party, FIXTURES.request_review.command, at('2025-04-07T23:59:59'))).toMatchObject({
				ok: true,
				next: { status: 'concluded', reviewStage: 'review_requested', reviewRequestedAt: at('2025-04-07T23:59:59') }
			});
			expect(refusal(decide(c, party, FIXTURES.request_review.command, at('2025-04-08T00:00:00')))).toEqual({
				reason: 'window_closed',
				field: 'reviewRequestBy'
			});
		});

		it('accepts a review of an archived case while the window is open', () => {
			expect(decide({ ...c, status: 'archived' }, party, FIXTURES.request_review.command, NOW)).toMatchObject({
				ok: true,
				next: { status: 'archived' }
			});
		});

		it('allows one review, then a re-review only after the answer', () => {
			const requested = { ...c, reviewStage: 'review_requested' as const, reviewRequestedAt: NOW };
			expect(refusal(decide(requested, party, FIXTURES.request_review.command, NOW))).toEqual({ reason: 'wrong_state', field: 'reviewStage' });
			expect(refusal(decide(requested, party, FIXTURES.request_re_review.command, NOW))).toEqual({
				reason: 'wrong_state',
				field: 'reviewStage'
			});
			const answered = decide(requested, township, { type: 'answer_review', summary: '维持' }, NOW);
			expect(answered).toMatchObject({
				ok: true,
				next: { reviewStage: 'review_answered', reviewAnsweredAt: NOW },
				timeline: { summary: '维持', publicText: true }
			});
		});

		it('opens the re-review window for 30 days from the review answer', () => {
			// Answered 7 March 2025: 30 days → Sunday 6 April, holiday → Monday 7 April.
			const f = FIXTURES.request_re_review;
			expect(decide(f.right, party, f.command, at('2025-04-07T12:00:00'))).toMatchObject({
				ok: true,
				next: { reviewStage: 're_review_requested' }
			});
			expect(refusal(decide(f.right, party, f.command, at('2025-04-08T08:00:00')))).toEqual({
				reason: 'window_closed',
				field: 'reReviewRequestBy'
			});
		});

		it('answers the re-review, which is final', () => {
			const reRequested = { ...FIXTURES.request_re_review.right, reviewStage: 're_review_requested' as const, reReviewRequestedAt: NOW };
			const d = decide(reRequested, township, { type: 'answer_review', summary: '复核维持' }, NOW);
			expect(d).toMatchObject({ ok: true, next: { reviewStage: 're_review_answered', reReviewAnsweredAt: NOW } });
			const final = { ...reRequested, reviewStage: 're_review_answered' as const, reReviewAnsweredAt: NOW };
			expect(allowedTransitions(final, party, NOW)).toEqual([]);
			expect(refusal(decide(final, township, { type: 'answer_review', summary: '—' }, NOW))).toEqual({ reason: 'wrong_state', field: 'reviewStage' });
		});

		it('needs an answer text', () => {
			expect(refusal(decide(FIXTURES.answer_review.right, township, { type: 'answer_review', summary: '' }, NOW))).toEqual({
				reason: 'invalid',
				field: 'summary'
			});
		});
	});

	it('refuses an unknown command as invalid', () => {
		expect(refusal(decide(snapshot(), township, { type: 'reopen' } as unknown as CaseCommand, NOW))).toEqual({
			reason: 'invalid',
			field: 'type'
		});
	});
});

describe('allowedTransitions', () => {
	it('lists what a township supervisor may do with a new village case', () => {
		expect(allowedTransitions(snapshot(), staff(TOWNSHIP), NOW)).toEqual(['accept', 'reject', 'escalate']);
	});

	it('lists the handling steps of a case in mediation for its place', () => {
		expect(allowedTransitions(FIXTURES.conclude.right, staff(VILLAGE, ['mediator']), NOW)).toEqual([
			'assign',
			'conclude',
			'escalate',
			'extend'
		]);
	});

	it('lists the review for the party of a concluded case, and nothing once the window has closed', () => {
		const party: CaseActor = { id: L, roles: ['party'], placePath: VILLAGE, departmentId: null };
		expect(allowedTransitions(FIXTURES.request_review.right, party, NOW)).toEqual(['request_review']);
		expect(allowedTransitions(FIXTURES.request_review.right, party, at('2025-05-01T09:00:00'))).toEqual([]);
	});

	it('lists nothing for an admin', () => {
		expect(allowedTransitions(snapshot(), staff('/1/', ['admin']), NOW)).toEqual([]);
	});
});
