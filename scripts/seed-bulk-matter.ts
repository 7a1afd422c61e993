/**
 * One generated matter for `npm run seed:bulk`: the case row, its parties and its timeline, walked
 * through the loop's transitions in order so the dates and the timeline agree. Pure: no database.
 */
import type { ClockInput } from '../src/lib/server/cases/clocks';
import type { Channel } from '../src/lib/server/cases/intake/rules';
import { addDays, shanghaiDate } from '../src/lib/server/cases/shanghai-date';
import { partyNamesText } from '../src/lib/server/cases/list/text-search';
import type { CaseStatus, ReviewStage, TransitionName } from '../src/lib/server/cases/states';
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
	county: { id: number; path: string };
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

const TO_STATUS: Partial<Record<TransitionName, CaseStatus>> = {
	accept: 'accepted',
	reject: 'not_accepted',
	assign: 'assigned',
	start_mediation: 'in_mediation',
	conclude: 'concluded',
	start_follow_up: 'follow_up',
	archive: 'archived'
};

const parentPath = (path: string) => path.replace(/[^/]+\/$/, '');
const lastId = (path: string) => Number(path.split('/').filter(Boolean).at(-1));

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
	const status = statusForAge(rng, ageMs / DAY);
	const steps = plan(rng, status);
	const offsets: number[] = [];
	let offset = 0;
	for (const step of steps) offsets.push((offset += (rng.int(...DELAY[step]) + rng.next()) * DAY));
	const scale = offset > ageMs * 0.97 ? (ageMs * 0.97) / offset : 1;

	let current: CaseStatus = 'registered';
	let placePath = area.path;
	let departmentId: number | null = null;
	let mediatorId: number | null = null;
	let extensionDays: number | null = null;
	let reviewStage: ReviewStage = 'none';
	const at: Partial<Record<TransitionName, Date>> = {};
	const events: EventRow[] = [{ at: registeredAt, actorId: filedById, kind: 'filed', toStatus: 'registered', data: { channel }, public: true }];
	const row = {} as { rejectReason?: string; conclusionReason?: string; conclusionSummary?: string; extensionReason?: string };

	// As the transition use case writes them: a public step row, and a staff note with the details.
	steps.forEach((step, i) => {
		const when = new Date(registeredAt.getTime() + offsets[i] * scale);
		at[step] ??= when;
		const to = TO_STATUS[step] ?? current;
		const event: EventRow = { at: when, actorId: staffActor, kind: step, fromStatus: current, toStatus: to, data: {}, public: true };
		let details: Record<string, unknown> | null = null;
		let staffText: string | null = null;
		if (step === 'reject') event.note = row.rejectReason = rng.pick(REJECT_REASONS);
		if (step === 'escalate') {
			const up = parentPath(placePath).length > ctx.county.path.length && rng.chance(0.9) ? parentPath(placePath) : ctx.county.path;
			details = { fromPlacePath: placePath, toPlacePath: up };
			staffText = '本级调解难度较大，提请上级协调处理。';
			placePath = up;
		}
		if (step === 'assign') {
			if (rng.chance(0.12) || placePath === ctx.county.path) {
				departmentId = staff.departments.get(rng.chance(0.8) ? DEPARTMENT_FOR_CATEGORY[categoryCode] : '县信访局') ?? null;
			}
			mediatorId = placePath === ctx.county.path ? null : staffActor;
			details = { toPlacePath: placePath, departmentId, mediatorId, handleBy: addDays(shanghaiDate(when), rng.int(15, 45)) };
		}
		if (step === 'extend') {
			extensionDays = rng.int(15, 30);
			event.note = row.extensionReason = '案情复杂，需进一步调查核实，延长办理期限。';
			details = { extensionDays };
		}
		if (step === 'conclude') {
			const [reason, summary] = rng.pick(CONCLUSIONS);
			event.note = row.conclusionReason = reason;
			event.data = { summary: (row.conclusionSummary = summary) };
		}
		if (step === 'request_review') reviewStage = 'review_requested';
		if (step === 'answer_review') reviewStage = 'review_answered';
		events.push(event);
		if (details || staffText) {
			events.push({ at: when, actorId: staffActor, kind: 'staff_note', note: staffText, data: { transition: step, actedAs: 'mediator' satisfies RoleName, ...details }, public: false });
		}
		current = to;
	});
	if (steps.length === 0) {
		events.push({ at: new Date(registeredAt.getTime() + Math.min(ageMs * 0.5, DAY)), actorId: staffActor, kind: 'staff_note', note: '已电话联系申请人，了解基本情况。', data: {}, public: false });
	}

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
			escalatedBeyondCounty: placePath === ctx.county.path && rng.chance(0.08),
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
