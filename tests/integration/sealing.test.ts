import type { RequestEvent } from '@sveltejs/kit';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Agreement } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { agreementDocuments, agreements, auditLog, places, sealingCertificates, userRoles, users } from '../../src/lib/server/db/schema';
import { agreementCopy } from '../../src/lib/server/documents/agreement-copy';
import { AppError } from '../../src/lib/server/errors';
import { handleBodyLimit } from '../../src/lib/server/http/body-limit';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { createPlace } from '../../src/lib/server/places/create-place';
import { readPkcs12 } from '../../src/lib/server/sealing/read-pkcs12';
import { verifyPdfOffline } from '../../src/lib/server/sealing/verify-pdf-offline';
import type { Viewer } from '../../src/lib/types';
import * as adminHome from '../../src/routes/(app)/admin/+page.server';
import * as certificatePage from '../../src/routes/(app)/admin/certificates/+page.server';
import * as verifyPage from '../../src/routes/(public)/verify/+page.server';
import { pdfText } from '../support/pdf-read';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates';
import { startTestTsa, type TestTsa } from '../support/timestamp-authority';
import { setUpOutcomeWorld } from './outcome-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import type { PanelWorld } from './panel-fixtures';
import { effectiveAgreement } from './pdf-fixtures';

/**
 * Issue 22: the committee's sealing certificate and sealed copies. An admin installs a PKCS#12 file
 * (bad files refused in words; other roles and other counties' admins refused); every kind of copy is
 * sealed (PAdES, whole file, chain embedded, RFC 3161 timestamp from a loopback authority) and Debian's
 * pdfsig calls it valid, and invalid after one flipped byte; `verify:pdf` and /verify say the same.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

const run = promisify(execFile);
type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
let tsa: TestTsa;
let certs: TestCertificates;
let dir: string;
let agreement: Agreement;
let otherAdmin: Viewer;

beforeAll(async () => {
	[w, tsa, certs, dir] = await Promise.all([setUpOutcomeWorld(), startTestTsa(), makeTestCertificates(), mkdtemp(join(tmpdir(), 'pingli-sealed-'))]);
	database.db = w.t.db;
	await effectiveAgreement(w, w.caseId);
	[agreement] = await w.t.db.select().from(agreements).where(eq(agreements.caseId, w.caseId));
	// An admin of another county.
	const other = await w.t.db.transaction((tx) => createPlace(tx, null, { name: '武宁县', parentId: null }));
	const [u] = await w.t.db.insert(users).values({ name: '武宁县 管理员', username: 'wuning.admin', passwordHash: 'unused', placeId: other.id }).returning({ id: users.id });
	await w.t.db.insert(userRoles).values({ userId: u.id, role: 'admin' });
	otherAdmin = (await loadViewer(w.t.db, u.id))!;
}, 240_000);
afterAll(async () => {
	await Promise.all([w.t.destroy(), tsa.close(), certs.dispose(), rm(dir, { recursive: true, force: true })]);
});

function upload(user: Viewer | null, form: { placeId: string; file?: Uint8Array; password?: string }) {
	const body = new FormData();
	body.set('placeId', form.placeId);
	if (form.file) body.set('certificate', new Blob([form.file.slice()], { type: 'application/x-pkcs12' }), 'committee.p12');
	if (form.password !== undefined) body.set('password', form.password);
	const event = { ...(routeEvent('/admin/certificates', { user: user, method: 'POST', form: {} }) as RequestEvent), request: new Request('http://localhost/admin/certificates?/upload', { method: 'POST', body }) };
	return routeOutcome(() => (certificatePage.actions.upload as Handler)(event as unknown as RequestEvent)) as Promise<Record<string, unknown> | number>;
}
const listPage = (user: Viewer) =>
	routeOutcome(() => (certificatePage.load as Handler)(routeEvent('/admin/certificates', { user: user, method: 'GET' }))) as Promise<
		{ certificates: { placeName: string; subject: string; issuer: string; state: string; demo: boolean; notAfter: Date }[]; places: { id: number }[] } | number
	>;

async function pdfsig(pdf: Uint8Array, name: string): Promise<string> {
	const file = join(dir, name);
	await writeFile(file, pdf);
	// pdfsig exits non-zero for an invalid signature; its report is what counts.
	const out = await run('pdfsig', [file]).catch((err: { stdout: string; stderr: string }) => ({ stdout: err.stdout, stderr: err.stderr }));
	return out.stdout + out.stderr;
}
const flipped = (pdf: Uint8Array) => {
	// A byte of the page content (the first content stream), far from the signature.
	const copy = pdf.slice();
	const at = Buffer.from(copy).indexOf('stream', 200) + 20;
	copy[at] ^= 0x01;
	return copy;
};
const copies = () => w.t.db.select().from(agreementDocuments).where(eq(agreementDocuments.agreementId, agreement.id));
const holders = () => [w.partyIds.applicant, w.partyIds.respondent, null];

describe('the sealing certificate page', () => {
	it('is for admins only, each within their own county', async () => {
		expect(await listPage(w.viewers.mediator)).toBe(403);
		expect(await listPage(w.viewers.supervisor)).toBe(403);
		expect(await upload(w.viewers.mediator, { placeId: String(w.placeIds['城南村']), file: certs.issued, password: certs.password })).toBe(403);
		expect(await upload(null, { placeId: String(w.placeIds['城南村']), file: certs.issued, password: certs.password })).toBe(401);
		// Another county's admin can neither install a certificate here nor see this county's.
		const refused = (await upload(otherAdmin, { placeId: String(w.placeIds['城南村']), file: certs.issued, password: certs.password })) as Record<string, unknown>;
		expect(refused).toMatchObject({ status: 400, fields: { placeId: 'err_invalid' } });
		const theirs = (await listPage(otherAdmin)) as { certificates: unknown[]; places: { id: number }[] };
		expect(theirs.certificates).toEqual([]);
		expect(theirs.places.map((p) => p.id)).not.toContain(w.placeIds['城南村']);
		expect(await w.t.db.select().from(sealingCertificates).where(eq(sealingCertificates.placeId, w.placeIds['城南村']))).toEqual([]);
	});

	it('refuses a wrong password, an expired certificate, a file that is not PKCS#12 and an oversized one, in words', async () => {
		const { admin } = w.viewers;
		const placeId = String(w.placeIds['城南村']);
		const cases: [Record<string, unknown> | number, string, string][] = [
			[await upload(admin, { placeId, file: certs.issued, password: 'wrong-password' }), 'password', 'err_cert_password'],
			[await upload(admin, { placeId, file: certs.expired, password: certs.password }), 'certificate', 'err_cert_expired'],
			[await upload(admin, { placeId, file: new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nnot a p12\n'), password: certs.password }), 'certificate', 'err_cert_not_pkcs12'],
			[await upload(admin, { placeId, file: new Uint8Array(200 * 1024).fill(0x30), password: certs.password }), 'certificate', 'err_cert_too_large'],
			[await upload(admin, { placeId, password: certs.password }), 'certificate', 'err_cert_file_required']
		];
		for (const [outcome, field, key] of cases) {
			expect(outcome).toMatchObject({ status: 400, fields: { [field]: key } });
			// The password never comes back.
			expect(JSON.stringify(outcome)).not.toContain(certs.password);
		}
		// A 50 MB upload never reaches the form: the page's body limit answers 413 in words first.
		let reached = false;
		const request = { method: 'POST', body: {}, headers: new Headers({ 'content-length': String(50 * 1024 * 1024), accept: 'text/html' }) };
		const res = (await handleBodyLimit({ event: { request, route: { id: '/(app)/admin/certificates' } }, resolve: () => ((reached = true), new Response()) } as never)) as Response;
		expect([res.status, reached]).toEqual([413, false]);
		expect(await res.text()).toMatch(/太大.*1 MB/);
		const { m } = await import('../../src/lib/paraglide/messages');
		expect(m.err_cert_password({}, { locale: 'zh-CN' })).toBe('证书密码不正确。');
		expect(m.err_cert_expired({}, { locale: 'zh-CN' })).toContain('已经过期');
		expect(await w.t.db.select().from(sealingCertificates).where(eq(sealingCertificates.placeId, w.placeIds['城南村']))).toEqual([]);
	});

	it('installs a CA-issued certificate (legacy and current encryption), keeps the one it replaces and warns before expiry', async () => {
		const { admin } = w.viewers;
		const placeId = String(w.placeIds['城南村']);
		expect(await upload(admin, { placeId, file: certs.legacy, password: certs.password })).toEqual({ done: 'sl_uploaded' });
		expect(await upload(admin, { placeId, file: certs.expiring, password: certs.password })).toEqual({ done: 'sl_uploaded' });
		let page = (await listPage(admin)) as Exclude<Awaited<ReturnType<typeof listPage>>, number>;
		const mine = page.certificates.filter((c) => c.placeName === '城南村');
		expect(mine.map((c) => c.state)).toEqual(['expiring', 'retired']);
		expect(mine[0].subject).toBe('CN=城南村人民调解委员会, O=永修县司法局, C=CN');
		expect(mine[0].issuer).toBe('CN=测试 CA, O=测试电子认证服务有限公司, C=CN');
		// The county's demo certificate made by the demo seed is there too, marked as such.
		expect(page.certificates.find((c) => c.placeName === '永修县')).toMatchObject({ demo: true, state: 'valid' });
		expect(await upload(admin, { placeId, file: certs.issued, password: certs.password })).toEqual({ done: 'sl_uploaded' });
		page = (await listPage(admin)) as typeof page;
		expect(page.certificates.filter((c) => c.placeName === '城南村').map((c) => c.state)).toEqual(['valid', 'retired', 'retired']);
		// The key is stored encrypted: neither the row nor the audit log holds it in the clear.
		const [row] = await w.t.db.select().from(sealingCertificates).where(and(eq(sealingCertificates.placeId, w.placeIds['城南村']), isNull(sealingCertificates.retiredAt)));
		const { privateKey } = readPkcs12(certs.issued, certs.password);
		expect(row.keyCiphertext.length).toBe(privateKey.length + 28);
		expect(Buffer.from(row.keyCiphertext).includes(Buffer.from(privateKey.subarray(privateKey.length - 48)))).toBe(false);
		const audits = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'sealing_certificate.install'));
		expect(audits.length).toBe(4);
		expect(JSON.stringify(audits)).not.toContain(certs.password);
	});

	it("tells the admin's home page what to do", async () => {
		const home = (user: Viewer) => routeOutcome(() => (adminHome.load as Handler)(routeEvent('/admin', { user: user, method: 'GET' }))) as Promise<{ sealing: { state: string } | null }>;
		// The county runs on the demo's self-signed certificate; the other county has none at all.
		expect((await home(w.viewers.admin)).sealing).toMatchObject({ state: 'demo' });
		expect((await home(otherAdmin)).sealing).toMatchObject({ state: 'missing' });
	});
});

describe('sealed copies', () => {
	const sealed: Record<string, Uint8Array> = {};

	it('seals every kind of copy with the committee certificate, time-stamped, and pdfsig calls each valid', async () => {
		const before = tsa.requests();
		for (const holder of holders()) {
			const copy = await agreementCopy(w.t.db, agreement, holder, { actorId: w.viewers.mediator.id, origin: 'http://localhost', tsaUrl: tsa.url });
			sealed[String(holder)] = copy.pdf;
			const report = await pdfsig(copy.pdf, `copy-${holder}.pdf`);
			expect(report).toContain('Signature is Valid.');
			expect(report).toContain('Total document signed');
			expect(report).toContain('ETSI.CAdES.detached');
			expect(report).toContain('Signer Certificate Common Name: 城南村人民调解委员会');
			// Offline: the chain is embedded and verifies, the timestamp certifies this signature, the text matches its hash.
			const offline = await verifyPdfOffline(copy.pdf);
			expect(offline).toMatchObject({ ok: true, text: 'match', statedHash: agreement.frozenHash, signature: { status: 'valid', wholeFile: true, chainVerified: true } });
			expect(offline.signature.signer?.issuer).toContain('测试 CA');
			expect(offline.signature.timestamp).toMatchObject({ verified: true, authority: 'CN=Test Timestamp Authority, O=Pingli Test, C=CN' });
		}
		expect(tsa.requests() - before).toBe(3);
		const rows = await copies();
		expect(rows.every((r) => r.sealCertificateId !== null && r.timestampedAt !== null)).toBe(true);
		// Never sealed again: the stored bytes come back as they are, with no new timestamp.
		const again = await agreementCopy(w.t.db, agreement, w.partyIds.applicant, { actorId: null, origin: 'http://localhost', tsaUrl: tsa.url });
		expect(Buffer.from(again.pdf).equals(Buffer.from(sealed[String(w.partyIds.applicant)]))).toBe(true);
		expect(tsa.requests() - before).toBe(3);
	}, 120_000);

	it('ends each copy with the signing record and says it is sealed', async () => {
		const { flat } = await pdfText(sealed[String(w.partyIds.respondent)]);
		for (const text of ['签署过程记录', '身份验证：本人账号登录', '个人签署链接+短信验证码（尾号0022）', '所签文本SHA-256：' + agreement.frozenHash, '协议生效时间：', '封存时审计日志链头：审计链第', '并附可信时间戳']) {
			expect(flat).toContain(text);
		}
		// Addresses are masked.
		expect(flat).toContain('127.0.*.*');
		expect(flat).not.toContain('网络地址：127.0.0.1');
	});

	it('pdfsig, verify:pdf and /verify all call a copy with one flipped byte invalid', async () => {
		for (const holder of holders()) {
			const bad = flipped(sealed[String(holder)]);
			const report = await pdfsig(bad, `tampered-${holder}.pdf`);
			expect(report).not.toContain('Signature is Valid.');
			expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
			expect(await verifyPdfOffline(bad)).toMatchObject({ ok: false, signature: { status: 'invalid' } });
		}
		// The command line, as a court clerk would run it.
		const good = join(dir, `copy-${w.partyIds.applicant}.pdf`);
		const ok = await run('npx', ['tsx', 'scripts/verify-pdf.ts', good], { cwd: process.cwd() });
		expect(ok.stdout.split('\n')[0]).toBe('结论：有效——本副本带有数字签名，签名后未被改动。');
		expect(JSON.parse(ok.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true, text: 'match' });
		const bad = join(dir, `tampered-${w.partyIds.applicant}.pdf`);
		const failed = await run('npx', ['tsx', 'scripts/verify-pdf.ts', bad], { cwd: process.cwd() }).then(
			() => null,
			(err: { code: number; stdout: string }) => err
		);
		expect(failed?.code).toBe(1);
		expect(failed?.stdout).toContain('数字签名：无效——签名后文件已被改动');
	}, 120_000);

	it('/verify takes an uploaded copy: valid with whose copy and its seal; a tampered one is not valid', async () => {
		let ip = 0;
		const verify = (pdf: Uint8Array) => {
			const body = new FormData();
			body.set('pdf', new Blob([pdf.slice()], { type: 'application/pdf' }), 'copy.pdf');
			const event = { ...(routeEvent('/verify', { user: null, method: 'POST', form: {} }) as RequestEvent), request: new Request('http://localhost/verify', { method: 'POST', body }), getClientAddress: () => `10.9.0.${++ip}` };
			return routeOutcome(() => (verifyPage.actions.default as Handler)(event as unknown as RequestEvent)) as Promise<{ result: Record<string, unknown> }>;
		};
		const good = await verify(sealed[String(w.partyIds.applicant)]);
		expect(good.result).toMatchObject({ status: 'valid', holder: '申请人 孙**', seal: { signer: '城南村人民调解委员会', demo: false } });
		expect(good.result.seal).toHaveProperty('timestampedAt');
		expect((await verify(sealed.null)).result).toMatchObject({ status: 'valid', holder: '城南村人民调解委员会' });
		expect((await verify(flipped(sealed.null))).result.status).toBe('tampered');
		// A PDF that is not ours and carries no seal is simply unknown; garbage is not an error.
		expect((await verify(new TextEncoder().encode('%PDF-1.7\n/ByteRange [0 10 20 30] /Contents <zz>'))).result.status).toBe('unknown');
		// Nothing uploaded is stored.
		expect((await copies()).length).toBe(3);
	});

	it('without a timestamp authority the seal is still valid (B-B); a TSA that is down stops the copy instead', async () => {
		await w.t.db.delete(agreementDocuments).where(eq(agreementDocuments.agreementId, agreement.id));
		tsa.setDown(true);
		await expect(agreementCopy(w.t.db, agreement, null, { actorId: null, origin: 'http://localhost', tsaUrl: tsa.url })).rejects.toMatchObject({ code: 'unavailable', fields: { _: 'err_doc_timestamp' } } satisfies Partial<AppError>);
		expect((await copies()).length).toBe(0);
		tsa.setDown(false);
		for (const holder of holders()) {
			const copy = await agreementCopy(w.t.db, agreement, holder, { actorId: null, origin: 'http://localhost', tsaUrl: null });
			const report = await pdfsig(copy.pdf, `untimed-${holder}.pdf`);
			expect(report).toContain('Signature is Valid.');
			expect(report).toContain('Total document signed');
			expect(await pdfsig(flipped(copy.pdf), `untimed-bad-${holder}.pdf`)).not.toContain('Signature is Valid.');
			const offline = await verifyPdfOffline(copy.pdf);
			expect(offline).toMatchObject({ ok: true, signature: { timestamp: null } });
		}
	}, 120_000);

	it('without any certificate a copy says plainly that it is not digitally sealed', async () => {
		await w.t.db.delete(agreementDocuments).where(eq(agreementDocuments.agreementId, agreement.id));
		await w.t.db.update(sealingCertificates).set({ retiredAt: new Date() }).where(isNull(sealingCertificates.retiredAt));
		const copy = await agreementCopy(w.t.db, agreement, null, { actorId: null, origin: 'http://localhost', tsaUrl: tsa.url });
		expect(await pdfsig(copy.pdf, 'unsealed.pdf')).toContain('File \'');
		expect((await verifyPdfOffline(copy.pdf)).signature.status).toBe('none');
		expect((await pdfText(copy.pdf)).flat).toContain('本副本未加数字签名（电子签章）');
		const [row] = await copies();
		expect(row.sealCertificateId).toBeNull();
		expect(await w.t.db.select({ id: places.id }).from(places).where(eq(places.name, '城南村'))).toHaveLength(1);
	});
});
