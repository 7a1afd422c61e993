/**
 * One generated matter for `npm run seed:bulk`: the case row, its parties and its timeline, walked
 * through the loop's transitions in order so the dates and the timeline agree. Each step is decided
 * by the app's own case state machine (`decide` in src/lib/server/cases/rules.ts), so a matter can
 * only take the transitions, states and fields the app would give it. Pure: no database.
 */
import { dueDates, type ClockInput } from '../src/lib/server/cases/clocks';
import type { Channel } from '../src/lib/server/cases/intake/rules';
import { decide } from '../src/lib/server/cases/rules';
import { addDays, shanghaiDate } from '../src/lib/server/cases/shanghai-date';
import { partyNamesText } from '../src/lib/server/cases/list/text-search';
import type { CaseActor, CaseCommand, CaseSnapshot, CaseStatus, TransitionName } from '../src/lib/server/cases/states';
import type { caseEvents, caseParties, cases } from '../src/lib/server/db/schema';
import type { RoleName } from '../src/lib/types';
import {
	CATEGORY_MIX,
	CHANNEL_MIX,
	CONCLUSIONS,
	DEPARTMENT_FOR_CATEGORY,
	caseText,
	idNumber,
	organisation,
	personName,
	phone,
	REJECT_REASONS,
	statusForAge,
	type Rng
} from './seed-bulk-data';

/** A place a matter can arise in: a village, or a township itself (matters raised at the town hall). */
export interface Area {
	townshipId: number;
	townshipName: string;
	townshipIndex: number;
	villageId: number | null;
	villageName: string | null;
	path: string;
	weight: number;
}

export interface Staff {
	townships: Map<number, { mediator: number; agent: number; grid: number }>;
	departments: Map<string, number>;
	demo: { mediator: number | null; agent: number | null; grid: number | null; party: number | null; supervisor: number | null };
}

type Applicant = { name: string; phone: string | null; idNumber: string | null };
export type History = Map<string, { id: number; categoryCode: string; applicant: Applicant }[]>;

export interface MatterContext {
	registeredAt: Date;
	now: Date;
	number: string;
	/** The county the matter arises in, and its city when the county is part of one (`--counties`). */
	county: { id: number; path: string; cityId: number | null };
	areas: Area[];
	staff: Staff;
	categories: Map<string, number>;
	history: History;
}

type CaseRow = Omit<typeof cases.$inferInsert, 'queryCodeHash'> & { number: string };
type PartyRow = Omit<typeof caseParties.$inferInsert, 'caseId'> & Applicant;
type EventRow = Omit<typeof caseEvents.$inferInsert, 'caseId'>;

export interface Matter {
	row: CaseRow;
	clocks: ClockInput;
	parties: PartyRow[];
	events: EventRow[];
	areaKey: string;
	categoryCode: string;
}

const DAY = 86_400_000;
const areaTotals = new WeakMap<Area[], number>();

function pickArea(rng: Rng, areas: Area[]): Area {
	let total = areaTotals.get(areas);
	if (total === undefined) areaTotals.set(areas, (total = areas.reduce((s, a) => s + a.weight, 0)));
	let r = rng.next() * total;
	for (const a of areas) if ((r -= a.weight) < 0) return a;
	return areas[areas.length - 1];
}

/** Days after the previous step each transition usually takes: [min, max]. */
const DELAY: Record<TransitionName, [number, number]> = {
	accept: [0, 5],
	reject: [1, 10],
	escalate: [1, 7],
	assign: [0, 4],
	start_mediation: [1, 10],
	extend: [30, 50],
	conclude: [5, 45],
	start_follow_up: [3, 15],
	archive: [5, 40],
	request_review: [3, 25],
	answer_review: [5, 28],
	return_down: [1, 7],
	request_re_review: [3, 25]
};

function plan(rng: Rng, status: CaseStatus): TransitionName[] {
	const handled = (): TransitionName[] => ['accept', ...(rng.chance(0.15) ? ['escalate' as const] : []), 'assign'];
	const concluded = (): TransitionName[] => [...handled(), ...(rng.chance(0.7) ? ['start_mediation' as const] : []), ...(rng.chance(0.05) ? ['extend' as const] : []), 'conclude'];
	const reviewed = (steps: TransitionName[]): TransitionName[] =>
		rng.chance(0.02) ? [...steps, 'request_review', ...(rng.chance(0.5) ? ['answer_review' as const] : [])] : steps;
	switch (status) {
		case 'registered':
			return [];
		case 'not_accepted':
			return ['reject'];
		case 'accepted':
			return ['accept'];
		case 'assigned':
			return handled();
		case 'in_mediation':
			return [...handled(), 'start_mediation', ...(rng.chance(0.06) ? ['extend' as const] : [])];
		case 'concluded':
			return reviewed(concluded());
		case 'follow_up':
			return reviewed([...concluded(), 'start_follow_up']);
		case 'archived':
			return rng.chance(0.05) ? ['reject', 'archive'] : reviewed([...concluded(), ...(rng.chance(0.6) ? ['start_follow_up' as const] : []), 'archive']);
	}
}

const lastId = (path: string) => Number(path.split('/').filter(Boolean).at(-1));

/** Stands for the party who asks for a review: the timeline rows keep the staff actor, as before. */
const REVIEWING_PARTY = Number.MAX_SAFE_INTEGER;

/** Steps a plan may take when the rules allow them, and leaves out otherwise. */
const OPTIONAL = new Set<TransitionName>(['start_mediation', 'extend', 'request_review', 'answer_review']);

/** The command of one planned step, with the reasons, routing and deadlines a mediator would give. */
function commandFor(rng: Rng, step: TransitionName, c: CaseSnapshot, when: Date, matter: { categoryCode: string; mediator: number; ctx: MatterContext }): CaseCommand {
	switch (step) {
		case 'reject':
			return { type: 'reject', reason: rng.pick(REJECT_REASONS) };
		case 'escalate':
			return { type: 'escalate', reason: '本级调解难度较大，提请上级协调处理。' };
		case 'assign': {
			const atCounty = c.placeKind === 'county';
			const departmentId = rng.chance(0.12) || atCounty ? (matter.ctx.staff.departments.get(rng.chance(0.8) ? DEPARTMENT_FOR_CATEGORY[matter.categoryCode] : '县信访局') ?? null) : null;
			// The working deadline may not pass the statutory one (art. 34).
			const concludeBy = dueDates(c).concludeBy;
			const wanted = addDays(shanghaiDate(when), rng.int(15, 45));
			const handleBy = concludeBy && wanted > concludeBy ? concludeBy : wanted;
			return { type: 'assign', placePath: c.placePath, departmentId, mediatorId: atCounty ? null : matter.mediator, handleBy };
		}
		case 'extend':
			return { type: 'extend', days: rng.int(15, 30), reason: '案情复杂，需进一步调查核实，延长办理期限。' };
		case 'conclude': {
			const [reason, summary] = rng.pick(CONCLUSIONS);
			return { type: 'conclude', reason, summary };
		}
		case 'request_review':
		case 'request_re_review':
			return { type: step, reason: '对处理意见不服，申请复查。' };
		case 'answer_review':
			return { type: 'answer_review', summary: '经复查，维持原处理意见。' };
		case 'return_down':
			throw new Error('seed:bulk does not plan return_down');
		default:
			return { type: step };
	}
}


export function generateMatter(rng: Rng, ctx: MatterContext): Matter {
	const { registeredAt, now, staff } = ctx;
	const area = pickArea(rng, ctx.areas);
	const areaKey = area.path;
	const townshipStaff = staff.townships.get(area.townshipId)!;
	const village = area.villageName ?? area.townshipName;

	// Repeats: ~15% come back from someone in the same place about the same kind of matter.
	const earlier = ctx.history.get(areaKey);
	const repeatOf = earlier?.length && rng.chance(0.15) ? rng.pick(earlier) : null;
	const categoryCode = repeatOf?.categoryCode ?? rng.weighted(CATEGORY_MIX);
	const channel: Channel = rng.weighted(CHANNEL_MIX);

	const parties = generateParties(rng, ctx, area, categoryCode, repeatOf?.applicant ?? null);
	const respondent = parties.find((p) => p.side === 'respondent')?.name ?? `${village}村民委员会`;
	const { title, description } = caseText(rng, categoryCode, { a: parties[0].name, r: respondent, v: village, n: rng.int(2, 30), y: registeredAt.getUTCFullYear() - rng.int(1, 4) });

	const filedById = filer(rng, channel, area, staff, townshipStaff);
	const staffActor = area.townshipIndex === 0 && staff.demo.mediator && rng.chance(0.5) ? staff.demo.mediator : townshipStaff.mediator;

	// Walk the transitions, compressing the delays when they would run past now.
	const ageMs = now.getTime() - registeredAt.getTime();
	const steps = plan(rng, statusForAge(rng, ageMs / DAY));
	const offsets: number[] = [];
	let offset = 0;
	for (const step of steps) offsets.push((offset += (rng.int(...DELAY[step]) + rng.next()) * DAY));
	const scale = offset > ageMs * 0.97 ? (ageMs * 0.97) / offset : 1;

	// The actors the state machine needs: staff of the county (place scope over every matter), the
	// assigned mediator, and a party of the matter standing for whoever asks for a review.
	const county: CaseActor = { id: staffActor, roles: ['supervisor', 'mediator'], placePath: ctx.county.path, departmentId: null };
	let snapshot: CaseSnapshot = {
		status: 'registered',
		placePath: area.path,
		placeKind: area.villageId === null ? 'township' : 'village',
		departmentId: null,
		mediatorId: null,
		filedById,
		partyUserIds: [REVIEWING_PARTY],
		handleBy: null,
		registeredAt,
		acceptedAt: null,
		notAcceptedAt: null,
		routedAt: null,
		concludedAt: null,
		reviewStage: 'none',
		reviewRequestedAt: null,
		reviewAnsweredAt: null,
		reReviewRequestedAt: null,
		reReviewAnsweredAt: null,
		extension: null
	};
	const at: Partial<Record<TransitionName, Date>> = {};
	const events: EventRow[] = [{ at: registeredAt, actorId: filedById, kind: 'filed', toStatus: 'registered', data: { channel }, public: true }];
	const row = {} as { rejectReason?: string; conclusionReason?: string; conclusionSummary?: string; extensionReason?: string };

	// As the transition use case writes them: a public step row, and a staff note with the details.
	const take = (step: TransitionName, when: Date) => {
		const command = commandFor(rng, step, snapshot, when, { categoryCode, mediator: staffActor, ctx });
		const actor: CaseActor =
			step === 'start_mediation'
				? { id: snapshot.mediatorId ?? 0, roles: ['mediator'], placePath: snapshot.placePath, departmentId: null }
				: step === 'request_review' || step === 'request_re_review'
					? { id: REVIEWING_PARTY, roles: ['party'], placePath: ctx.county.path, departmentId: null }
					: county;
		const decision = decide(snapshot, actor, command, when);
		if (!decision.ok) {
			// A mediation needs an assigned mediator (county matters go to a department), and the
			// time-limited steps only fit their statutory windows: a plan's optional step that the
			// rules refuse is left out. Any other refusal means this plan and the rules disagree.
			if (OPTIONAL.has(step)) return;
			throw new Error(`seed:bulk planned ${step} from ${snapshot.status} at ${snapshot.placePath}, which the case rules refuse (${decision.reason} ${decision.field ?? ''})`);
		}
		at[step] ??= when;
		const event: EventRow = { at: when, actorId: staffActor, kind: step, fromStatus: snapshot.status, toStatus: decision.next.status, data: {}, public: true };
		if (command.type === 'reject') event.note = row.rejectReason = command.reason;
		if (command.type === 'extend') event.note = row.extensionReason = command.reason;
		if (command.type === 'conclude') {
			event.note = row.conclusionReason = command.reason;
			event.data = { summary: (row.conclusionSummary = command.summary) };
		}
		events.push(event);
		const details = decision.timeline.details;
		const staffText = command.type === 'escalate' ? command.reason : null;
		if (Object.keys(details).length > 0 || staffText) {
			events.push({ at: when, actorId: staffActor, kind: 'staff_note', note: staffText, data: { transition: step, actedAs: 'mediator' satisfies RoleName, ...details }, public: false });
		}
		snapshot = { ...snapshot, ...decision.next };
	};
	steps.forEach((step, i) => {
		const when = new Date(registeredAt.getTime() + offsets[i] * scale);
		take(step, when);
		// Escalation goes up one level at a time; now and then a matter goes on up to the county.
		if (step === 'escalate' && snapshot.placeKind !== 'county' && rng.chance(0.1)) take('escalate', when);
	});
	if (steps.length === 0) {
		events.push({ at: new Date(registeredAt.getTime() + Math.min(ageMs * 0.5, DAY)), actorId: staffActor, kind: 'staff_note', note: '已电话联系申请人，了解基本情况。', data: {}, public: false });
	}
	const { placePath, departmentId, mediatorId, reviewStage } = snapshot;
	const extensionDays = snapshot.extension?.days ?? null;
	const status = snapshot.status;

	const rated = (status === 'follow_up' || status === 'archived') && at.conclude && rng.chance(0.45);
	const ratedAt = rated ? new Date(Math.min(at.conclude!.getTime() + rng.int(1, 20) * DAY, now.getTime() - 60_000)) : null;
	const lastActivityAt = events.reduce((last, e) => (e.at > last ? e.at : last), registeredAt);
	const clocks: ClockInput = {
		status,
		registeredAt,
		acceptedAt: at.accept ?? null,
		notAcceptedAt: at.reject ?? null,
		routedAt: at.assign ?? null,
		concludedAt: at.conclude ?? null,
		reviewStage,
		reviewRequestedAt: at.request_review ?? null,
		reviewAnsweredAt: at.answer_review ?? null,
		reReviewRequestedAt: null,
		extension: extensionDays ? { days: extensionDays, reason: row.extensionReason! } : null
	};

	const escalated = placePath === ctx.county.path && rng.chance(0.08);
	return {
		areaKey,
		categoryCode,
		clocks,
		parties,
		events,
		row: {
			number: ctx.number,
			channel,
			categoryId: ctx.categories.get(categoryCode)!,
			title,
			description,
			partyNames: partyNamesText(parties),
			status,
			cityId: ctx.county.cityId,
			countyId: ctx.county.id,
			townshipId: area.townshipId,
			villageId: area.villageId,
			placeId: lastId(placePath),
			placePath,
			departmentId,
			mediatorId,
			filedById,
			repeatOfId: repeatOf?.id ?? null,
			isRepeat: repeatOf !== null,
			escalatedBeyondCounty: escalated,
			escalatedTo: escalated ? escalationLevel(ctx.number) : null,
			registeredAt,
			acceptedAt: at.accept ?? null,
			assignedAt: at.assign ?? null,
			concludedAt: at.conclude ?? null,
			archivedAt: at.archive ?? null,
			extensionDays,
			extensionReason: row.extensionReason ?? null,
			reviewStage,
			reviewRequestedAt: at.request_review ?? null,
			reviewAnsweredAt: at.answer_review ?? null,
			rejectReason: row.rejectReason ?? null,
			conclusionReason: row.conclusionReason ?? null,
			conclusionSummary: row.conclusionSummary ?? null,
			lastActivityAt,
			publicRating: rated ? rng.weighted([[5, 45], [4, 30], [3, 15], [2, 6], [1, 4]] as const) : null,
			publicRatingComment: rated && rng.chance(0.3) ? rng.pick(['调解员很耐心，问题解决了。', '处理及时，满意。', '还有一些问题没落实。', '希望以后跟进更快一些。']) : null,
			publicRatedAt: ratedAt,
			createdAt: registeredAt
		}
	};
}

function filer(rng: Rng, channel: Channel, area: Area, staff: Staff, township: { mediator: number; agent: number; grid: number }): number | null {
	switch (channel) {
		case 'online':
			return null;
		case 'agent':
			return area.villageName === '城南村' && staff.demo.agent && rng.chance(0.6) ? staff.demo.agent : township.agent;
		case 'grid_report':
			return area.villageName === '河东村' && staff.demo.grid && rng.chance(0.6) ? staff.demo.grid : township.grid;
		case 'leader_mailbox':
			return staff.demo.supervisor ?? township.mediator;
		default:
			return township.mediator;
	}
}

function generateParties(rng: Rng, ctx: MatterContext, area: Area, category: string, repeatOf: Applicant | null): PartyRow[] {
	const village = area.villageName ?? area.townshipName;
	const address = () => `永修县${area.townshipName}${area.villageName ?? ''}${rng.int(1, 12)}组${rng.int(1, 60)}号`;
	const person = (side: 'applicant' | 'respondent', pPhone: number, pId: number): PartyRow => ({
		side,
		kind: 'person',
		name: personName(rng),
		phone: rng.chance(pPhone) ? phone(rng) : null,
		idNumber: rng.chance(pId) ? idNumber(rng) : null,
		address: rng.chance(side === 'applicant' ? 0.9 : 0.5) ? address() : null
	});
	const applicants =
		category === 'wages' && rng.chance(0.6) ? rng.int(2, 8) : rng.weighted([[1, 88], [2, 9], [rng.int(3, 5), 3]] as const);
	const parties: PartyRow[] = [];
	for (let i = 0; i < applicants; i++) parties.push(person('applicant', 0.92, 0.75));
	if (repeatOf) Object.assign(parties[0], repeatOf);
	else if (area.villageName === '城南村' && ctx.staff.demo.party && rng.chance(0.015)) {
		Object.assign(parties[0], { name: '孙大伯', phone: '13800138009', idNumber: null, userId: ctx.staff.demo.party });
	}
	const org = organisation(rng, category, area.townshipName, village);
	const respondents = rng.weighted([[1, 90], [2, 7], [0, 3]] as const);
	for (let i = 0; i < respondents; i++) {
		parties.push(i === 0 && org ? { side: 'respondent', kind: 'organisation', name: org, phone: null, idNumber: null, address: null } : person('respondent', 0.6, 0.25));
	}
	return parties.map((p, i) => ({ ...p, sortOrder: i }));
}

/**
 * How far above the county an escalated matter went: 进京 two in ten, 赴省 four in ten, the rest to the
 * city. Taken from the case number rather than the random stream, so the rest of the generated county
 * stays as it was before the assessment counted 进京 and 赴省 apart.
 */
function escalationLevel(number: string): 'city' | 'province' | 'beijing' {
	const digit = Number(number.slice(-1));
	return digit < 2 ? 'beijing' : digit < 6 ? 'province' : 'city';
}
