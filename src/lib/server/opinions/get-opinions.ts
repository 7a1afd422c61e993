import { and, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { panelMembers, panelOpinions, users } from '../db/schema';
import { isCaseOpen, loadMediationCase, mayRunMediation } from '../cases/access';
import type { PanelMemberType } from '../mediation/panel/rules';
import { loadOpinionRound } from './opinion-round';
import { expectedSeats, mayGiveOpinion, type OpinionPosition } from './rules';

/** A submitted opinion with its author, shown only when the viewer may read it. */
export interface OpinionView {
	name: string;
	memberType: PanelMemberType;
	position: OpinionPosition;
	reasons: string;
	submittedAt: Date;
	updatedAt: Date;
}

/** Who is expected to give an opinion and whether they have; never the content. */
export interface SeatStatus {
	name: string;
	memberType: PanelMemberType;
	submitted: boolean;
}

export interface OpinionsPage {
	case: { id: number; number: string; title: string };
	revealedAt: Date | null;
	/** Revealed by the mediator (false: every expected member had submitted). */
	revealedByMediator: boolean;
	/** Every opinion, once revealed; before that, empty for everyone. */
	opinions: OpinionView[];
	/** The viewer's own opinion, always readable by its author. */
	mine: OpinionView | null;
	/** The viewer sits on the panel and may submit or revise now. */
	mayGive: boolean;
	/** The viewer sits on the panel but has not declared yet (declaration comes first). */
	mustDeclare: boolean;
	/** The viewer runs the mediation: sees who is missing and may reveal. */
	mayReveal: boolean;
	/** Who has submitted, for the mediator and the panel's members (not for parties). */
	seats: SeatStatus[] | null;
}

/**
 * The opinions page of a case, for one viewer. The content of others' opinions leaves the database
 * only after the reveal: before it, the query for everyone's opinions is not even run, and only the
 * viewer's own row is read.
 */
export async function getOpinions(db: Db, viewer: Viewer, caseId: unknown): Promise<OpinionsPage> {
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const round = await loadOpinionRound(db, row.id);
	const mayRun = mayRunMediation(viewer, row);
	const mySeat = round.seats.find((s) => s.userId === viewer.id && s.removedAt === null);
	const revealed = round.revealedAt !== null;
	const open = isCaseOpen(row.status) && !revealed;

	const visible = await db
		.select({
			userId: panelOpinions.userId,
			name: users.name,
			memberType: panelMembers.memberType,
			position: panelOpinions.position,
			reasons: panelOpinions.reasons,
			submittedAt: panelOpinions.submittedAt,
			updatedAt: panelOpinions.updatedAt
		})
		.from(panelOpinions)
		.innerJoin(users, eq(users.id, panelOpinions.userId))
		.innerJoin(panelMembers, eq(panelMembers.id, panelOpinions.memberId))
		.where(revealed ? eq(panelOpinions.caseId, row.id) : and(eq(panelOpinions.caseId, row.id), eq(panelOpinions.userId, viewer.id)))
		.orderBy(panelOpinions.submittedAt, panelOpinions.id);
	const toView = ({ userId: _userId, memberType, ...o }: (typeof visible)[number]): OpinionView => ({ ...o, memberType: memberType as PanelMemberType });
	const own = visible.find((o) => o.userId === viewer.id);

	let seats: SeatStatus[] | null = null;
	if (mayRun || mySeat) {
		const expected = expectedSeats(round.seats);
		const names = expected.length
			? await db
					.select({ userId: panelMembers.userId, name: users.name, memberType: panelMembers.memberType })
					.from(panelMembers)
					.innerJoin(users, eq(users.id, panelMembers.userId))
					.where(and(eq(panelMembers.caseId, row.id), inArray(panelMembers.userId, expected.map((s) => s.userId))))
			: [];
		seats = expected.map((s) => {
			const who = names.find((n) => n.userId === s.userId);
			return { name: who?.name ?? '', memberType: (who?.memberType ?? '') as PanelMemberType, submitted: round.submitted.has(s.userId) };
		});
	}

	return {
		case: { id: row.id, number: row.number, title: row.title },
		revealedAt: round.revealedAt,
		revealedByMediator: round.revealedById !== null,
		opinions: revealed ? visible.map(toView) : [],
		mine: own ? toView(own) : null,
		mayGive: open && mayGiveOpinion(mySeat),
		mustDeclare: open && mySeat?.conflict === 'pending',
		mayReveal: mayRun && open && round.submitted.size > 0,
		seats
	};
}
