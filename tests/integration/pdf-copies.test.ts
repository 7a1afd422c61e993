import type { RequestEvent } from '@sveltejs/kit';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { agreementDocuments, agreementTerms, auditLog, caseParties } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import * as copyRoute from '../../src/routes/(app)/cases/[id=id]/outcome/copies/[holder=holder]/+server';
import * as verifyPage from '../../src/routes/(public)/verify/+page.server';
import * as inviteCopyRoute from '../../src/routes/(public)/sign/[token]/copy/+server';
import { pdfQrCodes, pdfText } from '../support/pdf-read';
import { setUpOutcomeWorld } from './outcome-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import type { PanelWorld } from './panel-fixtures';
import { effectiveAgreement } from './pdf-fixtures';
import { codeFor } from './agreement-fixtures';
import { SIGNING_GRANT_COOKIE } from '../../src/lib/server/agreements/signing-invitation';
import { verifySigningCode } from '../../src/lib/server/agreements/verify-signing-code';

/**
 * Copies of an effective agreement: each party downloads their own (and only that), the PDF carries
 * the signed Chinese text, its SHA-256 and a QR code of the verification page; the public page
 * verifies a copy by its code or its bytes, and fails it once a byte of the file or a stored term
 * changed. Generation and every verification are audited; verification is rate-limited.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
let hash: string;
let termIds: number[];
let respondentToken: string;
let party: { applicant: number; respondent: number };
beforeAll(async () => {
	w = await setUpOutcomeWorld();
	database.db = w.t.db;
	({ hash, termIds, respondentToken } = await effectiveAgreement(w, w.caseId));
	party = w.partyIds;
}, 180_000);
afterAll(() => w.t.destroy());

async function download(user: Viewer | null, holder: string | number): Promise<Response | number | string> {
	const params = { id: String(w.caseId), holder: String(holder) };
	try {
		return (await (copyRoute.GET as Handler)(routeEvent(`/cases/${w.caseId}/outcome/copies/${holder}`, { user, params }))) as Response;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		if (isRedirect(err)) return `redirect ${err.location}`;
		throw err;
	}
}

let verifyIp = 0;
/** Each check from its own address, so the rate limit is tested on its own. */
function verifyForm(form: Record<string, string | Blob>, ip = `10.0.0.${++verifyIp}`) {
	return routeOutcome(() => (verifyPage.actions.default as Handler)(routeEvent('/verify', { form, ip })));
}
const status = async (form: Record<string, string | Blob>) => ((await verifyForm(form)) as { result: { status: string } }).result.status;

let applicantPdf: Uint8Array;
let code: string;

describe('agreement copies', () => {
	it('each party downloads their own copy; nobody else gets it', async () => {
		expect(await download(null, party.applicant)).toBe(`redirect /login?next=%2Fcases%2F${w.caseId}%2Foutcome%2Fcopies%2F${party.applicant}`);
		expect(await download(w.viewers['qiujin.villager'], party.applicant)).toBe(404);
		// The demo party is the applicant: not the respondent's copy, not the committee's.
		expect(await download(w.viewers.party, party.respondent)).toBe(403);
		expect(await download(w.viewers.party, 'committee')).toBe(403);
		expect(await download(w.viewers.panelist, party.applicant)).toBe(403);
		expect(await download(w.viewers.party, 999999)).toBe(404);
		const res = (await download(w.viewers.party, party.applicant)) as Response;
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
		applicantPdf = new Uint8Array(await res.arrayBuffer());
		// The same file every time, generated (and audited) once.
		const again = new Uint8Array(await ((await download(w.viewers.party, party.applicant)) as Response).arrayBuffer());
		expect(Buffer.from(again).equals(Buffer.from(applicantPdf))).toBe(true);
		// The mediator gets the respondent's copy (who has no account) and the committee's.
		expect(((await download(w.viewers.mediator, party.respondent)) as Response).status).toBe(200);
		expect(((await download(w.viewers.mediator, 'committee')) as Response).status).toBe(200);
		const generated = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'document.pdf_generate')).orderBy(auditLog.id);
		expect(generated.map((a) => (a.data as { partyId: number | null }).partyId)).toEqual([party.applicant, party.respondent, null]);
		const docs = await w.t.db.select({ size: agreementDocuments.sizeBytes }).from(agreementDocuments);
		console.log(`agreement copies: ${docs.map((d) => d.size).join(', ')} bytes`);
	});

	it('a party without an account downloads their own copy through their signing link once they signed', async () => {
		const get = async (token: string, grant?: string) => {
			const cookies = new Map(grant === undefined ? [] : [[SIGNING_GRANT_COOKIE, grant]]);
			try {
				return (await (inviteCopyRoute.GET as Handler)(routeEvent(`/sign/${token}/copy`, { params: { token }, cookies }))) as Response;
			} catch (err) {
				if (isHttpError(err)) return err.status;
				if (isRedirect(err)) return `redirect ${err.location}`;
				throw err;
			}
		};
		expect(await get('a'.repeat(32))).toBe(404);
		expect(await get('not a token')).toBe(404);
		// The link alone is not enough: the party is sent to its page for a fresh code; the signing grant ended with the signature.
		expect(await get(respondentToken)).toBe(`redirect /sign/${respondentToken}`);
		const { grant } = await verifySigningCode(w.t.db, respondentToken, await codeFor(w, respondentToken, '127.0.0.2', new Date()), '127.0.0.2');
		expect(await get(respondentToken, 'x'.repeat(32))).toBe(`redirect /sign/${respondentToken}`);
		const res = (await get(respondentToken, grant)) as Response;
		expect(res.headers.get('cache-control')).toBe('private, no-store');
		expect(res.status).toBe(200);
		// The respondent's own copy: the one the mediator's download stored for them.
		const mine = new Uint8Array(await res.arrayBuffer());
		const [doc] = await w.t.db.select().from(agreementDocuments).where(eq(agreementDocuments.partyId, party.respondent));
		expect(Buffer.from(mine).equals(Buffer.from(doc.pdf))).toBe(true);
	});

	it('the copy holds the signed Chinese text, the hash, its code and a QR code of the verification page', async () => {
		const [doc] = await w.t.db.select().from(agreementDocuments).where(eq(agreementDocuments.partyId, party.applicant));
		code = doc.verifyCode;
		const { flat } = await pdfText(applicantPdf);
		for (const text of ['人民调解协议书', '将围墙后移三十厘米', '补偿李某拆墙费用', '1200.50元', '城南村人民调解委员会', hash, '孙大伯', code.match(/.{4}/g)!.join('-')]) {
			expect(flat).toContain(text);
		}
		const [applicant] = await w.t.db.select().from(caseParties).where(eq(caseParties.id, party.applicant));
		expect(flat).toContain(`本份由申请人${applicant.name}收执`);
		// Under each signature, how it was made: the account, or the link plus a code to the phone's last four digits.
		expect(flat).toContain('身份验证：本人账号登录');
		expect(flat).toContain('身份验证：个人签署链接+发送到尾号0022手机的一次性验证码');
		expect(await pdfQrCodes(applicantPdf)).toEqual([`http://localhost/verify?code=${code}`]);
	}, 30_000);

	it('verifies by code (typed loosely) and by the file, showing masked signers and nothing personal', async () => {
		const byCode = (await verifyForm({ code: code.toLowerCase().match(/.{4}/g)!.join('-') })) as { result: Record<string, unknown> };
		expect(byCode.result).toMatchObject({ status: 'valid', committee: '城南村人民调解委员会', hash });
		const signers = byCode.result.signers as { role: string; name: string }[];
		expect(signers.map((s) => s.role)).toEqual(['申请人', '被申请人', '人民调解员']);
		for (const s of signers) expect(s.name).toMatch(/^.\*+$/);
		const [applicant] = await w.t.db.select().from(caseParties).where(eq(caseParties.id, party.applicant));
		const shown = JSON.stringify(byCode);
		for (const secret of [applicant.name, applicant.phone!, applicant.idNumber!, applicant.address!, w.viewers.mediator.name]) expect(shown).not.toContain(secret);
		expect(await status({ pdf: new Blob([applicantPdf.slice()], { type: 'application/pdf' }) })).toBe('valid');
		// The QR code's address runs the same check from the page load.
		const loaded = (await (verifyPage.load as Handler)(routeEvent(`/verify?code=${code}`))) as { checked: { result: { status: string } } };
		expect(loaded.checked.result.status).toBe('valid');
	});

	it('fails a copy with one byte flipped, an unknown code and a malformed one', async () => {
		const flipped = applicantPdf.slice();
		// A byte the seal covers: the middle of the first signed range (/ByteRange [0 a b c]). The file's
		// middle may fall inside the signature's own padding, which no seal covers, and the copy's bytes
		// differ run to run (its time, its code), so a fixed offset would make this test a lottery.
		const byteRange = /\/ByteRange\s*\[\s*0\s+(\d+)/.exec(Buffer.from(applicantPdf).toString('latin1'));
		expect(byteRange, 'the copy is sealed').not.toBeNull();
		const at = Math.floor(Number(byteRange![1]) / 2);
		flipped[at] ^= 0x01;
		// The copy is sealed (the demo county's certificate): a changed byte breaks its seal, and the page says so.
		// (Where the byte was and what was around it, should this ever fail: once in many runs it answered `unknown`.)
		const around = `byte ${at} of ${flipped.length}, first range ${byteRange![1]}: ${JSON.stringify(Buffer.from(applicantPdf.slice(Math.max(0, at - 24), at + 24)).toString('latin1'))}`;
		expect(await status({ pdf: new Blob([flipped], { type: 'application/pdf' }) }), around).toBe('tampered');
		expect(await status({ code: 'ABCDEFGHJKLMNPQR' })).toBe('unknown');
		expect(await verifyForm({ code: '12' })).toMatchObject({ status: 400, fields: { code: 'err_verify_code_invalid' } });
	});

	it('fails every copy once a stored term is changed behind the application', async () => {
		await w.t.db.update(agreementTerms).set({ what: '将围墙后移二十厘米' }).where(eq(agreementTerms.id, termIds[0]));
		const after = (await verifyForm({ code })) as { result: Record<string, unknown> };
		expect(after.result).toMatchObject({ status: 'altered', signers: [], effectiveOn: null });
		expect(await status({ pdf: new Blob([applicantPdf.slice()], { type: 'application/pdf' }) })).toBe('altered');
		await w.t.db.update(agreementTerms).set({ what: '将围墙后移三十厘米' }).where(eq(agreementTerms.id, termIds[0]));
		expect(await status({ code })).toBe('valid');
	});

	it('audits every check and limits checks per address', async () => {
		const checks = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'document.verify')).orderBy(auditLog.id);
		expect(checks.map((a) => (a.data as { status: string }).status)).toEqual(['valid', 'valid', 'valid', 'tampered', 'unknown', 'altered', 'altered', 'valid']);
		const results: unknown[] = [];
		for (let i = 0; i < 21; i++) results.push(await verifyForm({ code }, '10.9.9.9'));
		expect(results.slice(0, 20).every((r) => (r as { result?: unknown }).result)).toBe(true);
		expect(results[20]).toMatchObject({ status: 429, message: 'sec_verify_limited', retryMinutes: 10 });
	}, 60_000);
});
