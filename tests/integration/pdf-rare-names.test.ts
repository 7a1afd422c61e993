import type { RequestEvent } from '@sveltejs/kit';
import { asc, eq, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { agreementDocuments, auditLog, caseParties, cases } from '../../src/lib/server/db/schema';
import * as copyRoute from '../../src/routes/(app)/cases/[id=id]/outcome/copies/[holder=holder]/+server';
import * as outcomePage from '../../src/routes/(app)/cases/[id=id]/outcome/+page.server';
import type { OutcomePage } from '../../src/lib/server/outcomes/get-outcome';
import { pdfText } from '../support/pdf-read';
import { setUpOutcomeWorld } from './outcome-fixtures';
import { routeEvent } from '../support/route-event';
import type { PanelWorld } from './panel-fixtures';
import { effectiveAgreement } from './pdf-fixtures';

/**
 * A court-ready copy for parties whose names lie beyond GB2312 and beyond the BMP: 𠮷田春 (U+20BB7),
 * 王䶮 (U+4DAE) and a term naming 𡈼 (U+2123C). Every character of every name and term comes back out
 * of the PDF exactly; the amount is in capitals, the dates in Chinese; the file name is the case and
 * the holder; the audit chain head is printed. The outcome form starts from the agreement in force.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
let caseNumber: string;
const TERM = { what: '向𡈼村委会交还𠮷田春家的宅基地证', amount: '50000', how: '当面交付，王䶮见证', dueOn: '2027-01-31' };

beforeAll(async () => {
	w = await setUpOutcomeWorld();
	database.db = w.t.db;
	await w.t.db.update(caseParties).set({ name: '王䶮' }).where(eq(caseParties.id, w.partyIds.applicant));
	await w.t.db.update(caseParties).set({ name: '𠮷田春' }).where(eq(caseParties.id, w.partyIds.respondent));
	await effectiveAgreement(w, w.caseId, [TERM]);
	[{ caseNumber }] = await w.t.db.select({ caseNumber: cases.number }).from(cases).where(eq(cases.id, w.caseId));
}, 180_000);
afterAll(() => w.t.destroy());

const download = async (holder: number | 'committee') =>
	(await (copyRoute.GET as Handler)(
		routeEvent(`/cases/${w.caseId}/outcome/copies/${holder}`, { user: w.viewers.mediator, params: { id: String(w.caseId), holder: String(holder) } })
	)) as Response;

describe('agreement copies for rare names', () => {
	it('give back every character of every name and term, and print amounts, dates and the chain head', async () => {
		const res = await download(w.partyIds.respondent);
		expect(res.status).toBe(200);
		const pdf = new Uint8Array(await res.arrayBuffer());
		const { flat } = await pdfText(pdf);
		expect(flat).not.toMatch(/[\u0000\ufffd]/);
		const [doc] = await w.t.db.select().from(agreementDocuments).where(eq(agreementDocuments.partyId, w.partyIds.respondent));
		for (const s of [
			'本份由被申请人𠮷田春收执',
			'被申请人（自然人）：𠮷田春',
			'申请人（自然人）：王䶮',
			'被申请人：𠮷田春',
			'申请人：王䶮',
			`内容：${TERM.what}`,
			`履行方式：${TERM.how.replace(/\s/g, '')}`,
			'金额：50000.00元（大写：人民币伍万元整）',
			'金额：1200.50元（大写：人民币壹仟贰佰元伍角）',
			'履行期限：2027年1月31日'
		]) {
			expect(flat).toContain(s);
		}
		expect(flat).toMatch(/生效日期：\d{4}年\d{1,2}月\d{1,2}日/);
		// The head just before this copy's own audit row (document.pdf_generate).
		const [generated] = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'document.pdf_generate')).orderBy(asc(auditLog.id));
		expect((generated.data as { documentId: number }).documentId).toBe(doc.id);
		const before = await w.t.db.select({ hash: auditLog.hash }).from(auditLog).where(lt(auditLog.id, generated.id)).orderBy(asc(auditLog.id));
		expect(flat).toContain(`审计链第${before.length}条${before.at(-1)!.hash}`);
		console.log(`rare-name copy: ${pdf.length} bytes`);
	}, 60_000);

	it('download under a name a person recognises, with an ASCII fallback', async () => {
		const disposition = (await download(w.partyIds.respondent)).headers.get('content-disposition')!;
		expect(disposition).toBe(
			`attachment; filename="agreement-${caseNumber}-party-${w.partyIds.respondent}.pdf"; filename*=UTF-8''${encodeURIComponent(`调解协议书-${caseNumber}-𠮷田春.pdf`)}`
		);
		const committee = (await download('committee')).headers.get('content-disposition')!;
		expect(decodeURIComponent(committee.split("UTF-8''")[1])).toBe(`调解协议书-${caseNumber}-委员会.pdf`);
		expect(committee).toContain(`filename="agreement-${caseNumber}-committee.pdf"`);
	}, 60_000);

	it('the outcome form starts from the terms of the agreement in force, for the mediator only', async () => {
		const load = (user: typeof w.viewers.mediator) =>
			(outcomePage.load as Handler)(routeEvent(`/cases/${w.caseId}/outcome`, { user, params: { id: String(w.caseId) } })) as Promise<{ view: OutcomePage }>;
		const { view } = await load(w.viewers.mediator);
		expect(view.mayRecord).toBe(true);
		expect(view.agreementContent).toMatch(/^五、协议条款\n/);
		expect(view.agreementContent).toContain(`内容：${TERM.what}`);
		expect(view.agreementContent).toContain('金额：50000.00元（大写：人民币伍万元整）');
		expect(view.agreementContent).toContain('六、其他约定');
		expect(view.agreementContent).not.toContain('一、当事人基本情况');
		// A party sees the outcome page but records nothing: no prefilled form for them.
		expect((await load(w.viewers.party)).view.agreementContent).toBeNull();
	});
});
