import { eq } from 'drizzle-orm';
import { createDraft } from '../agreements/create-draft';
import { saveTerm } from '../agreements/save-term';
import { committeeName } from '../agreements/agreement-content';
import { namedSealPng } from '../documents/seal-image';
import { updateDraftText } from '../agreements/update-draft-text';
import { uploadSeal } from '../agreements/upload-seal';
import type { Db, Tx } from '../db';
import { caseParties, places, users } from '../db/schema';
import { loadViewer } from '../people/load-viewer';
import { addDays, shanghaiDate } from '../cases/shanghai-date';

/**
 * The demo mediation's draft agreement (调解协议书) and the demo seal of 城南村's committee: a generated
 * red ring with a star and the committee's name, not an imitation of a real seal. The draft is left for the mediator to freeze,
 * so the walkthrough (and the agreement's end-to-end test) starts from a realistic draft.
 */
export async function seedDemoAgreement(db: Db | Tx, caseId: number, sessionId: number, now = new Date()): Promise<void> {
	const [village] = await db.select({ id: places.id, name: places.name }).from(places).where(eq(places.name, '城南村'));
	await uploadSeal(db, null, { placeId: village.id, bytes: await namedSealPng(committeeName(village.name)) }, { now });
	const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'mediator'));
	const mediator = (await loadViewer(db as Db, u.id))!;
	await createDraft(db as Db, mediator, { caseId, sessionId }, { now });
	const parties = await db.select({ id: caseParties.id, side: caseParties.side }).from(caseParties).where(eq(caseParties.caseId, caseId));
	const applicant = parties.find((p) => p.side === 'applicant')!.id;
	const respondent = parties.find((p) => p.side === 'respondent')!.id;
	await updateDraftText(
		db as Db,
		mediator,
		caseId,
		{
			facts: '钱某在孙大伯承包田上游的共用水渠上加装水泵，夜间抽水灌溉自家承包田，致使下游孙大伯的承包田放不进水，部分秧苗受旱。',
			issues: '一、共用水渠的用水时间如何安排；二、秧苗受旱损失由谁承担。',
			otherTerms: '双方今后按约定轮流用水，互谅互让，不再因此事发生争执。',
			responsibility: {
				[applicant]: '孙大伯发现缺水后未及时与钱某协商，有一定沟通不足。',
				[respondent]: '钱某未与下游用水户商量即加装水泵抽水，对秧苗受旱负主要责任。'
			}
		},
		{ now }
	);
	const today = shanghaiDate(now);
	const term = (t: Record<string, string>) => saveTerm(db as Db, mediator, caseId, t, { now });
	await term({ obligorPartyId: String(respondent), what: '赔偿孙大伯秧苗受旱损失', amount: '800', how: '现金当面交付，村调委会见证', dueOn: addDays(today, 10) });
	await term({ obligorPartyId: String(respondent), what: '水泵只在单日夜间使用，双日让下游用水', amount: '', how: '村民小组长监督', dueOn: '' });
	await term({ obligorPartyId: 'all', what: '共同清理共用水渠淤泥', amount: '', how: '双方各出一个工', dueOn: addDays(today, 20) });
}
