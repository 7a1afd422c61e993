import { and, asc, eq } from 'drizzle-orm';
import { createInvitation } from '../../src/lib/server/agreements/create-invitation';
import { outboxSender } from '../../src/lib/server/sms/sms-sender';
import { createCallLink } from '../../src/lib/server/calls/create-call-link';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { CHINA_CALENDAR } from '../../src/lib/server/cases/holidays';
import { caseParties, cases, coordinationMeetings, mediationSessions, places, studios, users } from '../../src/lib/server/db/schema';
import { requestReception } from '../../src/lib/server/reception/request-reception';
import { bookableSittings } from '../../src/lib/server/reception/rules';
import { scheduleReception } from '../../src/lib/server/reception/schedule-reception';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { createVersion } from '../../src/lib/server/mediation/versions/create-version';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { DEMO_MEDIATION_CASE_TITLE } from '../../src/lib/server/seed/demo-mediation';
import { issueOrder } from '../../src/lib/server/supervision/issue-order';
import type { Viewer } from '../../src/lib/types';
import { createAppDatabase, openNewAppDatabase, type AppDatabase, type DatabaseKind } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';

/**
 * The ids every route of the budget and field-condition checks needs, each looked up by name in the
 * demo county (the demo mediation case by its title, its parties by their names, people by username).
 */
export interface FieldIds {
	caseId: number;
	/** The demo mediation's applicant 孙大伯 (the `party` account) and respondent 钱某 (no account). */
	applicantId: number;
	respondentId: number;
	sessionId: number;
	versionId: number;
	orderId: number;
	/** The `panelist` account, for /people/[id] and /admin/people/[id]. */
	personId: number;
	/** The demo's 涂埠镇 coordination meeting and the county's 徐云峰 studio. */
	meetingId: number;
	studioId: number;
	/** The respondent's personal call link to the demo session (issue 14). */
	joinPath: string;
	/** A video reception request of 涂埠镇, scheduled, and the path of its personal link (issue 14). */
	receptionId: number;
	receptionPath: string;
}

export interface FieldApp {
	url: string;
	ids: FieldIds;
	/** The path of the respondent's personal signing link to the frozen demo agreement. */
	signPath: string;
}

/**
 * An app of its own for the field-condition checks: the demo county with the demo mediation's
 * agreement frozen, a signing link for its respondent, a saved record version and a supervision order,
 * so that every route under src/routes has something real to show. Its own server (rather than the
 * shared one) because freezing the demo agreement would change what tests/e2e/agreement.spec.ts sees,
 * and so that page weights are measured on a server nobody else is loading at the time.
 */
export async function startFieldApp(kind: DatabaseKind): Promise<{ app: FieldApp; stop: () => Promise<void> }> {
	const database: AppDatabase = await createAppDatabase(kind, { label: 'field', adminUrl: process.env.E2E_DATABASE_URL });
	let process_: AppProcess | undefined;
	try {
		const opened = await openNewAppDatabase(database);
		let ids: FieldIds;
		let token: string;
		try {
			const db = opened.db;
			await seedDemo(db, { onlyIfEmpty: true });
			const who = async (username: string): Promise<Viewer> => {
				const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
				return (await loadViewer(db, row.id))!;
			};
			const [mediator, supervisor, panelist] = await Promise.all(['mediator', 'tubu.supervisor', 'panelist'].map(who));
			const [{ id: caseId }] = await db.select({ id: cases.id }).from(cases).where(eq(cases.title, DEMO_MEDIATION_CASE_TITLE));
			const partyNamed = async (name: string) =>
				(await db.select({ id: caseParties.id }).from(caseParties).where(and(eq(caseParties.caseId, caseId), eq(caseParties.name, name))))[0].id;
			const [applicantId, respondentId] = await Promise.all([partyNamed('孙大伯'), partyNamed('钱某')]);
			const [{ id: sessionId }] = await db
				.select({ id: mediationSessions.id })
				.from(mediationSessions)
				.where(eq(mediationSessions.caseId, caseId))
				.orderBy(asc(mediationSessions.seq));
			const version = await createVersion(db, { docName: recordDocName(sessionId), name: '第一次调解结束', automatic: false, actorId: mediator.id }, { collab: null });
			const order = await issueOrder(db, supervisor, { caseId, ownerId: mediator.id, dueOn: shanghaiDatePlus(7), note: '请一周内回复调解进展' });
			await freezeAgreement(db, mediator, caseId);
			const invitation = await createInvitation(db, mediator, { caseId, partyId: respondentId }, { origin: 'http://127.0.0.1', sender: outboxSender });
			token = new URL(invitation.link).pathname.split('/').pop()!;
			const callLink = await createCallLink(db, mediator, sessionId, respondentId, 'http://127.0.0.1', { sender: outboxSender });
			const [{ id: meetingId }] = await db.select({ id: coordinationMeetings.id }).from(coordinationMeetings).orderBy(asc(coordinationMeetings.id)).limit(1);
			const [{ id: studioId }] = await db.select({ id: studios.id }).from(studios).where(eq(studios.name, '徐云峰矛盾纠纷调解工作室'));
			const [{ id: tubuId }] = await db.select({ id: places.id }).from(places).where(eq(places.name, '涂埠镇'));
			const [sitting] = bookableSittings(new Date(), CHINA_CALENDAR);
			const reception = await requestReception(db, { name: '𠮷大娘', phone: '13907928802', matter: '邻居占了宅基地', sitting: `${sitting.date}/${sitting.halfDay}`, placeId: String(tubuId) }, '127.0.0.1');
			const inAnHour = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 16);
			const scheduled = await scheduleReception(db, supervisor, { id: reception.id, at: inAnHour }, 'http://127.0.0.1', { sender: outboxSender });
			const receptionPath = new URL(scheduled.link).pathname;
			ids = { caseId, applicantId, respondentId, sessionId, versionId: version.id, orderId: order.id, personId: panelist.id, meetingId, studioId, joinPath: new URL(callLink.link).pathname, receptionId: reception.id, receptionPath };
		} finally {
			await opened.close();
		}
		process_ = spawnApp({ ...database.env, SEED_DEMO: 'never', SMS_OUTBOX: '1' });
		const url = await process_.ready;
		const running = process_;
		return {
			app: { url, ids, signPath: `/sign/${token}` },
			stop: async () => {
				await running.stop();
				await database.dispose();
			}
		};
	} catch (err) {
		await process_?.stop();
		await database.dispose();
		throw err;
	}
}

/** A date `days` ahead in Shanghai as YYYY-MM-DD (a supervision order's time limit). */
function shanghaiDatePlus(days: number): string {
	return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
