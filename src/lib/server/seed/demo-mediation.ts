import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { fileCase } from '../cases/intake/file-case';
import { transitionCase } from '../cases/work/transition-case';
import type { Db, Tx } from '../db';
import { caseCategories, caseParties, mediationSessions, panelMembers, places, users } from '../db/schema';
import { loadViewer } from '../people/load-viewer';
import { seedDemoAgreement } from './demo-agreement';

/** The demo case whose session record the walkthrough (and the record's end-to-end test) opens. */
export const DEMO_MEDIATION_CASE_TITLE = '承包田灌溉用水纠纷';

const DAY = 86_400_000;

/**
 * A live-mediation demo in 城南村: a case in mediation with the demo mediator, the demo panelist on its
 * panel (the parties consented; no conflict declared), the demo party as its applicant, and one
 * scheduled session whose record (调解笔录) can be opened at /sessions/<id>. Called at the end of the
 * demo seed, in its transaction.
 */
export async function seedDemoMediation(db: Db | Tx, now = new Date()): Promise<{ caseId: number; sessionId: number }> {
	const who = async (username: string): Promise<Viewer> => {
		const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
		return (await loadViewer(db as Db, u.id))!;
	};
	const [mediator, panelist, party, villager] = await Promise.all(['mediator', 'panelist', 'party', 'villager'].map(who));
	const [village] = await db.select({ id: places.id }).from(places).where(eq(places.name, '城南村'));
	const [category] = await db.select({ id: caseCategories.id }).from(caseCategories).where(eq(caseCategories.code, 'neighbours'));
	const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);

	const { id: caseId } = await fileCase(
		db as Db,
		villager,
		{
			channel: 'walk_in',
			categoryId: category.id,
			placeId: village.id,
			title: DEMO_MEDIATION_CASE_TITLE,
			description: '孙大伯称邻居在共用水渠上加装水泵抽水，下游承包田放不进水，秧苗受旱；邻居称水泵只在夜间使用。双方同意由评理团参与调解。',
			parties: [
				{ side: 'applicant', name: '孙大伯', phone: '13800138009', address: '城南村三组 12 号' },
				{ side: 'respondent', name: '钱某', phone: '13907920033' }
			]
		}, { now: at(6) }
	);
	await db
		.update(caseParties)
		.set({ userId: party.id })
		.where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'applicant')));
	await transitionCase(db as Db, mediator, caseId, { type: 'accept' }, { now: at(5) });
	await transitionCase(db as Db, mediator, caseId, { type: 'assign', mediatorId: mediator.id, note: '请评理团参与' }, { now: at(5) });
	await transitionCase(db as Db, mediator, caseId, { type: 'start_mediation' }, { now: at(4) });

	await db.insert(panelMembers).values({
		caseId,
		userId: panelist.id,
		memberType: 'veteran_party_member',
		invitedById: mediator.id,
		invitedAt: at(4),
		partiesConsent: '双方当事人当面口头同意邀请老党员黄福生参与评理',
		conflict: 'no_conflict',
		conflictNote: '与双方当事人均无亲属关系和利害关系',
		declaredAt: at(3)
	});
	const [session] = await db
		.insert(mediationSessions)
		.values({
			caseId,
			seq: 1,
			// Tomorrow at 09:30 Shanghai time (UTC+8, no daylight saving).
			scheduledAt: new Date(Math.floor((now.getTime() + 8 * 3_600_000) / DAY) * DAY + DAY + 90 * 60_000),
			location: '城南村村委会调解室',
			remote: true,
			openness: 'closed',
			createdById: mediator.id,
			createdAt: at(3)
		})
		.returning({ id: mediationSessions.id });
	await seedDemoAgreement(db, caseId, session.id, now);
	return { caseId, sessionId: session.id };
}
