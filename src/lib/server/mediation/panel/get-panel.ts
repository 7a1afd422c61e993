import type { PartySide } from '../../../enums';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { caseParties, mediatorAcceptances, panelMembers, places, users } from '../../db/schema';
import { PANEL_MEMBER_TYPES } from '../../db/schema/mediation';
import { pathIds } from '../../places/place-trail';
import { isCaseOpen, loadMediationCase, mayRunMediation } from '../../cases/access';
import { panelPool, placeNames, type PoolEntry } from './panel-pool';
import { type Declaration, type PanelMemberType } from './rules';

export interface MemberView {
	id: number;
	userId: number;
	name: string;
	memberType: PanelMemberType;
	placeTrail: string[];
	partiesConsent: string;
	conflict: Declaration;
	conflictNote: string | null;
	declaredAt: Date | null;
	invitedAt: Date;
	invitedBy: string;
	removedAt: Date | null;
	removedReason: string | null;
}

export interface AcceptanceView {
	id: number;
	accepted: boolean;
	note: string | null;
	mediator: string;
	recordedBy: string;
	recordedAt: Date;
}

/** Everything the panel page shows, for one viewer. */
export interface PanelView {
	case: { id: number; number: string; title: string; status: string; mediator: string | null };
	/** The viewer runs this case's mediation: may invite, remove and record acceptances. */
	mayRun: boolean;
	/** The case still takes new members and acceptances. */
	open: boolean;
	/** The viewer's own seat on the panel, for their declaration. */
	me: { memberId: number; memberType: PanelMemberType; conflict: Declaration; conflictNote: string | null } | null;
	/** Sitting members first (in invitation order), then removed ones. */
	members: MemberView[];
	/** Each party with their statements about the mediator, latest first. */
	parties: { id: number; name: string; side: PartySide; acceptances: AcceptanceView[] }[];
	/** The pool to invite from (filtered), only for whoever runs the mediation. */
	pool: PoolEntry[] | null;
	memberTypes: readonly PanelMemberType[];
}

export interface PoolQuery {
	memberType?: string | null;
	name?: string | null;
}

/** The panel of a case, looked up through the viewer's scope (`not_found` outside it). */
export async function getPanel(db: Db, viewer: Viewer, caseId: unknown, query: PoolQuery = {}): Promise<PanelView> {
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const mayRun = mayRunMediation(viewer, row);
	const inviter = alias(users, 'inviter');
	const mediator = alias(users, 'mediator');
	const recorder = alias(users, 'recorder');
	const memberType = PANEL_MEMBER_TYPES.find((t) => t === query.memberType);
	const name = query.name?.trim().slice(0, 40) || undefined;

	const [memberRows, partyRows, acceptanceRows, [caseMediator], pool] = await Promise.all([
		db
			.select({ m: panelMembers, name: users.name, path: places.path, invitedBy: inviter.name })
			.from(panelMembers)
			.innerJoin(users, eq(users.id, panelMembers.userId))
			.innerJoin(places, eq(places.id, users.placeId))
			.innerJoin(inviter, eq(inviter.id, panelMembers.invitedById))
			.where(eq(panelMembers.caseId, row.id))
			.orderBy(asc(panelMembers.invitedAt), asc(panelMembers.id)),
		db
			.select({ id: caseParties.id, name: caseParties.name, side: caseParties.side })
			.from(caseParties)
			.where(eq(caseParties.caseId, row.id))
			.orderBy(asc(caseParties.sortOrder), asc(caseParties.id)),
		db
			.select({ a: mediatorAcceptances, mediator: mediator.name, recordedBy: recorder.name })
			.from(mediatorAcceptances)
			.innerJoin(mediator, eq(mediator.id, mediatorAcceptances.mediatorId))
			.innerJoin(recorder, eq(recorder.id, mediatorAcceptances.recordedById))
			.where(eq(mediatorAcceptances.caseId, row.id))
			.orderBy(desc(mediatorAcceptances.recordedAt), desc(mediatorAcceptances.id)),
		row.mediatorId
			? db.select({ name: users.name }).from(users).where(and(eq(users.id, row.mediatorId), isNull(users.disabledAt)))
			: Promise.resolve([]),
		mayRun ? panelPool(db, row, { memberType, name, excludeMembers: true }) : Promise.resolve(null)
	]);
	const names = await placeNames(db, memberRows.map((r) => r.path));
	const members: MemberView[] = memberRows
		.map(({ m, name, path, invitedBy }) => ({
			id: m.id,
			userId: m.userId,
			name,
			memberType: m.memberType as PanelMemberType,
			placeTrail: pathIds(path)
				.slice(1)
				.map((id) => names.get(id) ?? ''),
			partiesConsent: m.partiesConsent,
			conflict: m.conflict,
			conflictNote: m.conflictNote,
			declaredAt: m.declaredAt,
			invitedAt: m.invitedAt,
			invitedBy,
			removedAt: m.removedAt,
			removedReason: m.removedReason
		}))
		.sort((a, b) => Number(a.removedAt !== null) - Number(b.removedAt !== null));
	const mine = members.find((m) => m.userId === viewer.id && m.removedAt === null);

	return {
		case: { id: row.id, number: row.number, title: row.title, status: row.status, mediator: caseMediator?.name ?? null },
		mayRun,
		open: isCaseOpen(row.status),
		me: mine ? { memberId: mine.id, memberType: mine.memberType, conflict: mine.conflict, conflictNote: mine.conflictNote } : null,
		members,
		parties: partyRows.map((p) => ({
			...p,
			acceptances: acceptanceRows
				.filter((r) => r.a.partyId === p.id)
				.map(({ a, mediator, recordedBy }) => ({ id: a.id, accepted: a.accepted, note: a.note, mediator, recordedBy, recordedAt: a.recordedAt }))
		})),
		pool,
		memberTypes: PANEL_MEMBER_TYPES
	};
}
