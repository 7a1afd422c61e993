import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Attachments go under DATA_DIR; give this file its own, before env.ts reads it.
const dataDir = vi.hoisted(() => {
	const dir = `/tmp/pingli-casework-attachments-${process.pid}-${Date.now()}`;
	process.env.DATA_DIR = dir;
	return dir;
});

import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { formFieldErrors, readFormData, readIntakeForm } from '../../src/lib/server/cases/intake/intake-form';
import { addAttachments } from '../../src/lib/server/cases/work/add-attachments';
import { safeFileName, sniffType } from '../../src/lib/server/cases/work/attachment-rules';
import { attachmentPath, attachmentsDir } from '../../src/lib/server/cases/work/attachment-store';
import { contentDisposition, getAttachment } from '../../src/lib/server/cases/work/get-attachment';
import { auditLog, caseAttachments } from '../../src/lib/server/db/schema';
import { newCase, outcome, rowCounts, setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(async () => {
	await w.t.destroy();
	rmSync(dataDir, { recursive: true, force: true });
});

const bytes = (...parts: (number[] | string)[]) =>
	new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(new TextEncoder().encode(p)) : p)));
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', new Array(200).fill(7));
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], new Array(100).fill(1));
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', new Array(50).fill(2));
const PDF = bytes('%PDF-1.7\n', '1 0 obj << >> endobj\n%%EOF\n');
const HTML = bytes('<!doctype html><script>alert(document.cookie)</script>');

const stored = () => (existsSync(attachmentsDir()) ? readdirSync(attachmentsDir()).sort() : []);
const file = (who: string, files: { name: string; data: Uint8Array }[], patch: Record<string, unknown> = {}) =>
	fileCase(w.t.db, w.viewers[who], newCase(w.placeIds, patch), { ip: '10.0.0.1', files });

describe('attachment type and name', () => {
	it('knows JPEG, PNG, WebP and PDF by their first bytes and nothing else', () => {
		expect([JPEG, PNG, WEBP, PDF].map(sniffType)).toEqual(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
		expect(sniffType(HTML)).toBeNull();
		expect(sniffType(bytes('RIFF', [0, 0, 0, 0], 'AVI '))).toBeNull();
		expect(sniffType(new Uint8Array())).toBeNull();
	});

	it('keeps a display name without paths or control characters, with the extension of the real type', () => {
		expect(safeFileName('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
		expect(safeFileName('C:\\Users\\孙\\现场照片.JPG', 'image/jpeg')).toBe('现场照片.jpg');
		expect(safeFileName('合同"\u0000.pdf.png', 'image/png')).toBe('合同.pdf.png');
		expect(safeFileName('', 'image/webp')).toBe('attachment.webp');
		expect(contentDisposition('现场 "照片".jpg')).toBe(`attachment; filename="__ ____.jpg"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%20%22%E7%85%A7%E7%89%87%22.jpg`);
	});
});

describe('attachments at filing', () => {
	it('stores files outside the web root under random keys, with their SHA-256', async () => {
		const filed = await file('agent', [
			{ name: '现场照片.jpg', data: JPEG },
			{ name: '协议.pdf', data: PDF }
		]);
		const rows = await w.t.db.select().from(caseAttachments).where(eq(caseAttachments.caseId, filed.id));
		expect(rows.map((r) => [r.fileName, r.mimeType, r.sizeBytes, r.uploadedById])).toEqual([
			['现场照片.jpg', 'image/jpeg', JPEG.length, w.viewers.agent.id],
			['协议.pdf', 'application/pdf', PDF.length, w.viewers.agent.id]
		]);
		for (const [row, data] of [
			[rows[0], JPEG],
			[rows[1], PDF]
		] as const) {
			expect(row.storageKey).toMatch(/^[0-9a-f]{40}$/);
			expect(attachmentPath(row.storageKey).startsWith(`${dataDir}/attachments/`)).toBe(true);
			expect(new Uint8Array(readFileSync(attachmentPath(row.storageKey)))).toEqual(data);
			expect(row.sha256).toBe(createHash('sha256').update(data).digest('hex'));
		}
	});

	it('refuses an HTML page named .jpg, a 50 MB file and a sixth file, and writes nothing', async () => {
		const before = { rows: await rowCounts(w.t), files: stored() };
		expect(await outcome(file('mediator', [{ name: 'photo.jpg', data: HTML }]))).toMatchObject({ code: 'invalid', attachments: 'err_attachment_type', 'attachments.0': 'err_attachment_type' });
		const huge = new Uint8Array(50 * 1024 * 1024);
		huge.set(JPEG);
		expect(await outcome(file('mediator', [{ name: 'ok.png', data: PNG }, { name: 'huge.jpg', data: huge }]))).toMatchObject({
			code: 'invalid',
			attachments: 'err_attachment_too_large',
			'attachments.1': 'err_attachment_too_large'
		});
		// Bad fields and a bad file are named together, so the filer fixes everything in one go.
		expect(await outcome(file('mediator', [{ name: 'photo.jpg', data: HTML }], { title: ' ' }))).toMatchObject({ title: 'err_required', attachments: 'err_attachment_type' });
		const six = Array.from({ length: 6 }, (_, i) => ({ name: `${i}.png`, data: PNG }));
		expect(await outcome(file('mediator', six))).toEqual({ code: 'invalid', attachments: 'err_attachment_count' });
		expect(await rowCounts(w.t)).toEqual(before.rows);
		expect(stored()).toEqual(before.files);
	});

	it('removes files already written when the filing transaction fails', async () => {
		const before = { rows: await rowCounts(w.t), files: stored() };
		// The place is checked inside the transaction, after the files are on disk.
		expect(await outcome(file('mediator', [{ name: 'a.jpg', data: JPEG }, { name: 'b.webp', data: WEBP }], { placeId: w.placeIds['艾城村'] }))).toEqual({
			code: 'invalid',
			placeId: 'err_place_not_found'
		});
		expect(await rowCounts(w.t)).toEqual(before.rows);
		expect(stored()).toEqual(before.files);
	});
});

describe('attachments later and downloads', () => {
	it('adds evidence to a visible case, audited, and refuses others', async () => {
		const filed = await file('mediator', []);
		const ids = await addAttachments(w.t.db, w.viewers.villager, filed.id, [{ name: '补充材料.pdf', data: PDF }], { ip: '10.0.0.3' });
		expect(ids).toHaveLength(1);
		const before = { rows: await rowCounts(w.t), files: stored() };
		expect(await outcome(addAttachments(w.t.db, w.viewers['qiujin.villager'], filed.id, [{ name: 'x.pdf', data: PDF }]))).toBe('not_found');
		expect(await outcome(addAttachments(w.t.db, w.viewers.party, filed.id, [{ name: 'x.pdf', data: PDF }]))).toBe('forbidden');
		expect(await outcome(addAttachments(w.t.db, w.viewers.mediator, filed.id, [{ name: 'x.jpg', data: HTML }]))).toMatchObject({ attachments: 'err_attachment_type' });
		expect(await rowCounts(w.t)).toEqual(before.rows);
		expect(stored()).toEqual(before.files);
	});

	it('re-checks the case scope on every download', async () => {
		const filed = await file('agent', [{ name: '照片.png', data: PNG }]);
		const other = await file('mediator', [{ name: '别的.pdf', data: PDF }]);
		const [a] = await w.t.db.select({ id: caseAttachments.id }).from(caseAttachments).where(eq(caseAttachments.caseId, filed.id));
		const [b] = await w.t.db.select({ id: caseAttachments.id }).from(caseAttachments).where(eq(caseAttachments.caseId, other.id));

		const got = await getAttachment(w.t.db, w.viewers.agent, filed.id, a.id);
		expect(got).toMatchObject({ fileName: '照片.png', mimeType: 'image/png', sizeBytes: PNG.length });
		expect(new Uint8Array(readFileSync(got.path))).toEqual(PNG);
		expect((await getAttachment(w.t.db, w.viewers['tubu.supervisor'], filed.id, a.id)).fileName).toBe('照片.png');
		// Out of scope: another village's staff, a grid worker who did not file it, a panelist.
		for (const who of ['qiujin.villager', 'grid', 'panelist', 'aicheng.mediator']) {
			expect(await outcome(getAttachment(w.t.db, w.viewers[who], filed.id, a.id))).toBe('not_found');
		}
		// The agent sees only what they filed: another case's attachment under their own case id is not found either.
		expect(await outcome(getAttachment(w.t.db, w.viewers.agent, filed.id, b.id))).toBe('not_found');
		expect(await outcome(getAttachment(w.t.db, w.viewers.agent, other.id, b.id))).toBe('not_found');
		expect(await outcome(getAttachment(w.t.db, w.viewers.agent, filed.id, '1 or 1=1'))).toBe('not_found');
	});

	it('records every download in the audit log: who, which attachment of which case, from where', async () => {
		const filed = await file('agent', [{ name: '照片.png', data: PNG }]);
		const [a] = await w.t.db.select({ id: caseAttachments.id, sha256: caseAttachments.sha256, storageKey: caseAttachments.storageKey }).from(caseAttachments).where(eq(caseAttachments.caseId, filed.id));
		const downloads = () =>
			w.t.db
				.select({ actorId: auditLog.actorId, subjectType: auditLog.subjectType, subjectId: auditLog.subjectId, ip: auditLog.ip, data: auditLog.data })
				.from(auditLog)
				.where(and(eq(auditLog.action, 'case.attachment_download'), eq(auditLog.subjectId, String(filed.id))))
				.orderBy(asc(auditLog.id));
		await getAttachment(w.t.db, w.viewers.agent, filed.id, a.id, { ip: '10.0.0.7' });
		await getAttachment(w.t.db, w.viewers['tubu.supervisor'], filed.id, a.id, { ip: '10.0.0.8' });
		expect(await downloads()).toEqual([
			{ actorId: w.viewers.agent.id, subjectType: 'case', subjectId: String(filed.id), ip: '10.0.0.7', data: { attachmentId: a.id, sha256: a.sha256 } },
			{ actorId: w.viewers['tubu.supervisor'].id, subjectType: 'case', subjectId: String(filed.id), ip: '10.0.0.8', data: { attachmentId: a.id, sha256: a.sha256 } }
		]);
		// A refused download, and one whose file is gone from the disk, are not recorded as downloads.
		expect(await outcome(getAttachment(w.t.db, w.viewers['qiujin.villager'], filed.id, a.id))).toBe('not_found');
		rmSync(attachmentPath(a.storageKey));
		expect(await outcome(getAttachment(w.t.db, w.viewers.agent, filed.id, a.id))).toBe('not_found');
		expect(await downloads()).toHaveLength(2);
	});
});

describe('the intake form as posted', () => {
	it('ignores blank party rows and names errors by the row they came from', () => {
		const form = new FormData();
		for (const [group, rows] of [
			['applicants', [['person', '孙大伯', '139 0792 0011', '', ''], ['person', '', '', '', ''], ['organisation', '城南村三组', '', '', '']]],
			['respondents', [['person', '', '', '', ''], ['person', '李某', 'x', '', '']]]
		] as const) {
			for (const row of rows) ['kind', 'name', 'phone', 'idNumber', 'address'].forEach((f, i) => form.append(`${group}.${f}`, row[i]));
		}
		form.append('attachments', new File([], ''));
		const read = readIntakeForm(form);
		expect((read.raw.parties as { side: string; name: string }[]).map((p) => [p.side, p.name])).toEqual([
			['applicant', '孙大伯'],
			['applicant', '城南村三组'],
			['respondent', '李某']
		]);
		expect(read.rowOf).toEqual(['applicants.0', 'applicants.2', 'respondents.1']);
		expect(read.files).toEqual([]);
		expect(read.values.applicants).toHaveLength(3);
		expect(formFieldErrors({ 'parties.2.phone': 'err_phone_invalid', title: 'err_required' }, read.rowOf)).toEqual({ 'respondents.1.phone': 'err_phone_invalid', title: 'err_required' });
	});

	it('turns a body the adapter refused as too large into a message, not an error', async () => {
		// What adapter-node does past BODY_SIZE_LIMIT: the body stream fails with a 413.
		const tooLarge = new ReadableStream({ start: (c) => c.error(Object.assign(new Error('Payload Too Large'), { status: 413 })) });
		const request = new Request('http://localhost/cases/new', {
			method: 'POST',
			body: tooLarge,
			headers: { 'content-type': 'multipart/form-data; boundary=x' },
			duplex: 'half'
		} as RequestInit);
		expect(await readFormData(request)).toEqual({ error: 'err_upload_too_large', status: 413 });
		const garbled = new Request('http://localhost/cases/new', { method: 'POST', body: 'not multipart', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
		expect(await readFormData(garbled)).toEqual({ error: 'err_upload_failed', status: 400 });
	});
});
