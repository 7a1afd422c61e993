import type { PartyKind, PartySide } from '../../../enums';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { RoleName, Viewer } from '../../../types';
import { maskAddress } from '../../../utils/address';
import { maskIdNumber } from '../../../utils/id-number';
import { maskPhone } from '../../../utils/phone';
import type { Db } from '../../db';
import { caseAttachments, caseCategories, caseEvents, caseParties, cases, departments, places, userRoles, users } from '../../db/schema';
import { pathIds } from '../../places/place-trail';
import { dueDates, dueState, openClocks, type ClockName, type DueState } from '../clocks';
import { pathDepth } from '../permissions';
import { allowedTransitions } from '../rules';
import { maySeeFullPersonalData, caseVisibility } from '../scope';
import { mayRecordEscalation } from '../escalation-rules';
import { shanghaiDate } from '../shanghai-date';
import { caseActorOf, type CaseStatus, type ReviewStage, type TransitionName } from '../states';
import type { Channel } from '../intake/rules';
import { loadSnapshot, loadVisibleCase, originPath } from './case-snapshot';
import { stepDetails, type StepDetails } from './timeline-details';
import { transitionTargets, type TransitionTargets } from './transition-targets';

/** A party as the detail page shows it: phone, ID number and address masked, whatever the viewer's role. */
export interface PartyView {
	id: number;
	side: PartySide;
	kind: PartyKind;
	name: string;
	phoneMasked: string | null;
	idNumberMasked: string | null;
	addressMasked: string | null;
}

export interface DueView {
	clock: ClockName;
	due: string;
	/** Only for clocks that bind the office now; request windows and met deadlines have none. */
	state: DueState | null;
}

export interface TimelineView {
	id: number;
	at: Date;
	kind: string;
	fromStatus: CaseStatus | null;
	toStatus: CaseStatus | null;
	note: string | null;
	summary: string | null;
	public: boolean;
	actorName: string | null;
	/** For staff rows: where the case went, to whom, by when. */
	details: StepDetails | null;
}

/** Everything the case detail page shows, for one viewer at one moment. */
export interface CaseDetail {
	id: number;
	number: string;
	status: CaseStatus;
	channel: Channel;
	title: string;
	description: string;
	category: { nameZh: string; nameEn: string };
	registeredAt: Date;
	/** Names from the county down to where the matter arose, and to where it is handled now. */
	originTrail: string[];
	handlingTrail: string[];
	/** The place handling the case now, e.g. '/1/2/5/'. */
	placeId: number;
	placePath: string;
	departmentId: number | null;
	department: string | null;
	mediatorId: number | null;
	mediator: string | null;
	filedBy: { name: string; roles: RoleName[] } | null;
	isRepeat: boolean;
	/** The earlier case, when the viewer may see it. */
	repeatOf: { id: number; number: string } | null;
	rejectReason: string | null;
	conclusionReason: string | null;
	conclusionSummary: string | null;
	extension: { days: number; reason: string } | null;
	reviewStage: ReviewStage;
	parties: PartyView[];
	attachments: { id: number; fileName: string; mimeType: string; sizeBytes: number; createdAt: Date }[];
	timeline: TimelineView[];
	due: DueView[];
	/** The most urgent open clock, for the headline badge. */
	urgent: DueView | null;
	allowed: TransitionName[];
	/** Routing choices, only when the viewer may route or return the case. */
	targets: TransitionTargets | null;
	maySeeFullPersonalData: boolean;
	/** How far above the county the matter went (赴市/赴省/进京), shown to staff; null when it did not. */
	escalatedTo: 'city' | 'province' | 'beijing' | null;
	/** Whether the viewer may record (or correct) that, see escalation-rules.ts. */
	mayRecordEscalation: boolean;
	/** Whether the viewer sees staff-only timeline entries (parties see the public ones only). */
	staffView: boolean;
}

const NOT_STAFF: RoleName[] = ['party', 'panelist'];

export interface GetCaseOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** The case detail, looked up through the viewer's scope (`not_found` outside it). Due states are as of `now`. */
export async function getCase(db: Db, viewer: Viewer, caseId: unknown, options: GetCaseOptions = {}): Promise<CaseDetail> {
	const { now = new Date() } = options;
	const row = await loadVisibleCase(db, viewer, caseId);
	const snapshot = await loadSnapshot(db, row);
	const staffView = viewer.roles.some((r) => !NOT_STAFF.includes(r.role));
	const filer = alias(users, 'filer');
	const mediator = alias(users, 'mediator');

	const [[names], parties, attachments, events, trailPlaces, filerRoles, repeatOf] = await Promise.all([
		db
			.select({ nameZh: caseCategories.nameZh, nameEn: caseCategories.nameEn, department: departments.name, mediator: mediator.name, filer: filer.name })
			.from(cases)
			.innerJoin(caseCategories, eq(caseCategories.id, cases.categoryId))
			.leftJoin(departments, eq(departments.id, cases.departmentId))
			.leftJoin(mediator, eq(mediator.id, cases.mediatorId))
			.leftJoin(filer, eq(filer.id, cases.filedById))
			.where(eq(cases.id, row.id)),
		db.select().from(caseParties).where(eq(caseParties.caseId, row.id)).orderBy(asc(caseParties.sortOrder), asc(caseParties.id)),
		db
			.select({ id: caseAttachments.id, fileName: caseAttachments.fileName, mimeType: caseAttachments.mimeType, sizeBytes: caseAttachments.sizeBytes, createdAt: caseAttachments.createdAt })
			.from(caseAttachments)
			.where(eq(caseAttachments.caseId, row.id))
			.orderBy(asc(caseAttachments.id)),
		db
			.select({ event: caseEvents, actorName: users.name })
			.from(caseEvents)
			.leftJoin(users, eq(users.id, caseEvents.actorId))
			.where(and(eq(caseEvents.caseId, row.id), staffView ? undefined : eq(caseEvents.public, true)))
			.orderBy(asc(caseEvents.at), asc(caseEvents.id)),
		db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, [...pathIds(originPath(row)), ...pathIds(row.placePath)])),
		row.filedById ? db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, row.filedById)) : Promise.resolve([]),
		row.repeatOfId
			? db.select({ id: cases.id, number: cases.number }).from(cases).where(and(eq(cases.id, row.repeatOfId), caseVisibility(viewer))).limit(1)
			: Promise.resolve([])
	]);
	const details = staffView ? await stepDetails(db, events.map((e) => e.event)) : new Map<number, StepDetails>();
	const placeName = new Map(trailPlaces.map((p) => [p.id, p.name]));
	const trail = (path: string) => pathIds(path).map((id) => placeName.get(id) ?? '');

	const today = shanghaiDate(now);
	const dates = dueDates(snapshot);
	const open = new Set(openClocks(snapshot));
	const due: DueView[] = (Object.keys(dates) as ClockName[]).flatMap((clock) => {
		const date = dates[clock];
		return date ? [{ clock, due: date, state: open.has(clock) ? dueState(date, today) : null }] : [];
	});
	const urgent = due.filter((d) => d.state).sort((a, b) => a.due.localeCompare(b.due))[0] ?? null;
	// Returning goes back along the origin chain only, so a matter that arose at this level has nowhere to go.
	const allowed = allowedTransitions(snapshot, caseActorOf(viewer), now).filter(
		(t) => t !== 'return_down' || pathDepth(originPath(row)) > pathDepth(row.placePath)
	);

	return {
		id: row.id,
		number: row.number,
		status: row.status,
		channel: row.channel,
		title: row.title,
		description: row.description,
		category: { nameZh: names.nameZh, nameEn: names.nameEn },
		registeredAt: row.registeredAt,
		originTrail: trail(originPath(row)),
		handlingTrail: trail(row.placePath),
		placeId: row.placeId,
		placePath: row.placePath,
		departmentId: row.departmentId,
		department: names.department,
		mediatorId: row.mediatorId,
		mediator: names.mediator,
		filedBy: names.filer ? { name: names.filer, roles: filerRoles.map((r) => r.role) } : null,
		isRepeat: row.isRepeat,
		repeatOf: repeatOf[0] ?? null,
		rejectReason: row.rejectReason,
		conclusionReason: row.conclusionReason,
		conclusionSummary: row.conclusionSummary,
		extension: snapshot.extension,
		reviewStage: row.reviewStage,
		parties: parties.map((p) => ({
			id: p.id,
			side: p.side,
			kind: p.kind,
			name: p.name,
			phoneMasked: p.phone ? maskPhone(p.phone) : null,
			idNumberMasked: p.idNumber ? maskIdNumber(p.idNumber) : null,
			addressMasked: p.address ? maskAddress(p.address) : null
		})),
		attachments,
		timeline: events.map(({ event: e, actorName }) => ({
			id: e.id,
			at: e.at,
			kind: e.kind,
			fromStatus: e.fromStatus,
			toStatus: e.toStatus,
			note: e.note,
			summary: typeof (e.data as { summary?: unknown }).summary === 'string' ? (e.data as { summary: string }).summary : null,
			public: e.public,
			actorName,
			details: details.get(e.id) ?? null
		})),
		due,
		urgent,
		allowed,
		targets: allowed.includes('assign') || allowed.includes('return_down') ? await transitionTargets(db, row) : null,
		maySeeFullPersonalData: maySeeFullPersonalData(viewer),
		escalatedTo: staffView ? row.escalatedTo : null,
		mayRecordEscalation: mayRecordEscalation(viewer, originPath(row)),
		staffView
	};
}
