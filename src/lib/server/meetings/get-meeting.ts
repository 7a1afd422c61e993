import { and, asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, departments, meetingActions, meetingDepartments, meetingMatters, places, users } from '../db/schema';
import { countyIdOf } from '../roster/rules';
import { ownerCandidates, type OwnerCandidate } from '../supervision/owner-candidates';
import { selectActions, toActionView, type ActionView } from './action-row';
import { findMeeting } from './find-meeting';
import { AGENDA_REASONS, matterCleared, type AgendaReason, type MeetingKindName } from './rules';

export interface MeetingMatterView {
	caseId: number;
	number: string;
	title: string;
	placeName: string;
	reasons: AgendaReason[];
	actions: ActionView[];
	cleared: boolean;
	/** Who may be named responsible for a decision on it (empty when only the minutes are read). */
	owners: OwnerCandidate[];
}

export interface MeetingView {
	id: number;
	kind: MeetingKindName;
	heldAt: Date;
	location: string;
	attendees: string;
	placeName: string;
	holderName: string;
	departments: { id: number; name: string }[];
	matters: MeetingMatterView[];
}

export interface GetMeetingOptions {
	/** Also what the decision form offers (otherwise only the meeting). */
	forms?: boolean;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * One meeting with its agenda and decisions, for the supervisors of its place and above. With
 * `forms`, also what the decision form offers: the county's departments and, per matter, the people
 * who may be named responsible.
 */
export async function getMeeting(db: Db, actor: Viewer, rawId: unknown, options: GetMeetingOptions = {}) {
	const { forms = true, now = new Date() } = options;
	const meeting = await findMeeting(db, actor, rawId);
	const today = shanghaiDate(now);
	const [[holder], [place], depts, agenda, actions] = await Promise.all([
		db.select({ name: users.name }).from(users).where(eq(users.id, meeting.createdById)),
		db.select({ name: places.name }).from(places).where(eq(places.id, meeting.placeId)),
		db
			.select({ id: departments.id, name: departments.name })
			.from(meetingDepartments)
			.innerJoin(departments, eq(departments.id, meetingDepartments.departmentId))
			.where(eq(meetingDepartments.meetingId, meeting.id))
			.orderBy(asc(departments.id)),
		db
			.select({
				caseId: cases.id,
				number: cases.number,
				title: cases.title,
				placeName: places.name,
				reasons: meetingMatters.reasons,
				countyId: cases.countyId,
				townshipId: cases.townshipId,
				villageId: cases.villageId,
				mediatorId: cases.mediatorId
			})
			.from(meetingMatters)
			.innerJoin(cases, eq(cases.id, meetingMatters.caseId))
			.innerJoin(places, eq(places.id, cases.placeId))
			// A matter that has since left the viewer's scope (moved to another area) is not shown to them.
			.where(and(eq(meetingMatters.meetingId, meeting.id), caseVisibility(actor)))
			.orderBy(asc(cases.id)),
		selectActions(db).where(eq(meetingActions.meetingId, meeting.id)).orderBy(asc(meetingActions.id))
	]);
	const views = actions.map((a) => toActionView(a, today));
	const matters: MeetingMatterView[] = [];
	for (const m of agenda) {
		const own = views.filter((a) => a.caseId === m.caseId);
		matters.push({
			caseId: m.caseId,
			number: m.number,
			title: m.title,
			placeName: m.placeName,
			reasons: AGENDA_REASONS.filter((r) => m.reasons.split(',').includes(r)),
			actions: own,
			cleared: matterCleared(own),
			owners: forms ? await ownerCandidates(db, m) : []
		});
	}
	const countyDepartments = forms
		? await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.countyId, countyIdOf(actor))).orderBy(asc(departments.id))
		: [];
	const view: MeetingView = {
		id: meeting.id,
		kind: meeting.kind,
		heldAt: meeting.heldAt,
		location: meeting.location,
		attendees: meeting.attendees,
		placeName: place.name,
		holderName: holder.name,
		departments: depts,
		matters
	};
	return { meeting: view, countyDepartments, meetingDay: shanghaiDate(meeting.heldAt) };
}
