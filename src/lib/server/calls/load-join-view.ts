import type { Db } from '../db';
import { invitationByGrant, loadCallInvitation } from './call-link';

/** What a personal call link's page shows: whose link, which session, and whether a code was confirmed. */
export interface JoinView {
	partyName: string;
	caseNumber: string;
	sessionSeq: number;
	room: string;
	phoneTail: string | null;
	codeSent: boolean;
	/** The grant cookie belongs to this link and is alive: the call may be joined. */
	verified: boolean;
}

export interface LoadJoinViewOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

export async function loadJoinView(db: Db, token: unknown, grant: string | undefined, options: LoadJoinViewOptions = {}): Promise<JoinView> {
	const { now = new Date() } = options;
	const inv = await loadCallInvitation(db, token, { now });
	const held = grant ? await invitationByGrant(db, grant, { now }) : null;
	return {
		partyName: inv.partyName,
		caseNumber: inv.caseNumber,
		sessionSeq: inv.sessionSeq,
		room: `session:${inv.sessionId}`,
		phoneTail: inv.phone ? inv.phone.slice(-4) : null,
		codeSent: Boolean(inv.codeExpiresAt && inv.codeExpiresAt > now && !inv.codeUsedAt),
		verified: held?.invitationId === inv.invitationId
	};
}
