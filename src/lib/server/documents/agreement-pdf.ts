import { PDFDocument, rgb, type PDFImage, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { signingEvidenceLines, type SigningEvidence } from './signing-evidence';
import { chineseDate } from '../../utils/yuan-capitals';
import { PdfText } from './pdf-text';
import type { SigningRecordEntry } from './signing-record';
import { SIGNED_TEXT_ATTACHMENT } from '../sealing/read-signed-text';

/**
 * The PDF of a signed mediation agreement (调解协议书), one copy per holder (art. 29: each party keeps
 * one, the committee one). Pure apart from reading the font: the caller gathers the content.
 *
 * The body is the frozen canonical text exactly as signed, so the paper says what the hash covers;
 * around it go the signatures, the seal, the SHA-256, the effective date, and the verification code
 * with a QR code of the public verification page. The wording around the text is Chinese and fixed
 * here, like the canonical text: it is the legal document, the same whatever the reader's language.
 */
export interface AgreementPdfInput {
	committeeName: string;
	caseNumber: string;
	/** The frozen canonical text (`agreements.frozen_text`). */
	text: string;
	/** Its SHA-256 (`agreements.frozen_hash`). */
	hash: string;
	/** The Shanghai date the agreement took effect, YYYY-MM-DD. */
	effectiveOn: string;
	/** Whose copy this is, e.g. "申请人 孙大伯" or "调解委员会". */
	holder: string;
	signatures: AgreementPdfSignature[];
	/** The committee's seal (PNG or JPEG), or null when none is configured. */
	seal: Uint8Array | null;
	/** The code printed on the copy and encoded in the QR code's address. */
	verifyCode: string;
	/** The public verification page for this copy, e.g. https://…/verify?code=… */
	verifyUrl: string;
	/** The audit chain's head when the copy was made, as `formatChainHead()` writes it (`<count>:<hash>`). */
	chainHead: string;
	/**
	 * The digital seal the copy will carry: the signer as its certificate names it, and whether it is
	 * the demo's self-signed one and a timestamp authority will time-stamp it. Null: the copy says it
	 * is not digitally sealed. Left out (older callers, unit tests): nothing is said.
	 */
	sealing?: { signer: string; demo: boolean; timestamped: boolean } | null;
	/** The signing record printed on the last page (签署过程记录); left out, no such page. */
	record?: SigningRecordEntry[];
	/** When the agreement took effect (the mediator's signature with the seal). */
	effectiveAt?: Date | null;
}

export interface AgreementPdfSignature {
	/** "申请人" / "被申请人" / "人民调解员". */
	role: string;
	/** The typed name the signer gave. */
	name: string;
	signedAt: Date;
	/** The drawn signature or thumbprint mark (PNG). */
	image: Uint8Array | null;
	/** How it was made, printed under it (signing-evidence.ts). */
	evidence?: SigningEvidence;
}

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 56;
const BODY = 11;
const LEADING = 17;
const NO_LINE_START = /^[，。、；：？！）》」』”’…,.;:?!)]$/u;

/** Groups a code for reading aloud: ABCD-EFGH-JKLM-NPQR. */
export function groupCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** A Shanghai date-time as 2026-11-29 14:05. */
function shanghaiDateTime(at: Date): string {
	return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Breaks text into lines no wider than `maxWidth` by measured width (Chinese has no spaces to break
 * at), keeping each paragraph's own line breaks. Chinese typesetting keeps closing punctuation off the
 * start of a line (避头点): such a character stays at the end of the line before, past the margin.
 */
export function wrapLines(text: string, measure: (line: string) => number, maxWidth: number): string[] {
	const out: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const ch of paragraph) {
			if (line !== '' && !NO_LINE_START.test(ch) && measure(line + ch) > maxWidth) {
				out.push(line);
				line = '';
			}
			line += ch;
		}
		out.push(line);
	}
	return out;
}

/** Writes text top-down across pages, wrapping by measured width (Chinese has no spaces to break at). */
export class Writer {
	page: PDFPage;
	y: number;
	constructor(
		private readonly doc: PDFDocument,
		readonly text: PdfText
	) {
		this.page = doc.addPage(A4);
		this.y = A4[1] - MARGIN;
	}

	get width(): number {
		return A4[0] - 2 * MARGIN;
	}

	/** Room for `height` points below the cursor, or a new page. */
	need(height: number): void {
		if (this.y - height >= MARGIN) return;
		this.page = this.doc.addPage(A4);
		this.y = A4[1] - MARGIN;
	}

	lines(text: string, size = BODY, maxWidth = this.width): string[] {
		return wrapLines(text, (line) => this.text.widthOfTextAtSize(line, size), maxWidth);
	}

	write(text: string, options: { size?: number; center?: boolean; gap?: number; color?: [number, number, number] } = {}): void {
		const size = options.size ?? BODY;
		const leading = size === BODY ? LEADING : size * 1.5;
		for (const line of this.lines(text, size)) {
			this.need(leading);
			this.y -= leading;
			const x = options.center ? (A4[0] - this.text.widthOfTextAtSize(line, size)) / 2 : MARGIN;
			this.text.draw(this.page, line, { x, y: this.y, size, color: rgb(...(options.color ?? [0, 0, 0])) });
		}
		this.y -= options.gap ?? 0;
	}
}

async function embedImage(doc: PDFDocument, bytes: Uint8Array): Promise<PDFImage> {
	// PNG starts with 0x89 'P' 'N' 'G'; anything else is taken as JPEG (pdf-lib checks the marker itself).
	return bytes[0] === 0x89 && bytes[1] === 0x50 ? doc.embedPng(bytes) : doc.embedJpg(bytes);
}

/** Draws an image scaled to fit `w`×`h`, its top-left at (x, top). */
function drawFitted(page: PDFPage, image: PDFImage, x: number, top: number, w: number, h: number): void {
	const scale = Math.min(w / image.width, h / image.height, 1);
	page.drawImage(image, { x, y: top - image.height * scale, width: image.width * scale, height: image.height * scale });
}

/** What every section of the agreement PDF draws with. */
export interface AgreementPdfContext {
	doc: PDFDocument;
	w: Writer;
	input: AgreementPdfInput;
}

/** One part of the copy, drawn in order below the one before. */
export type AgreementPdfSection = (ctx: AgreementPdfContext) => void | Promise<void>;

const GREY: [number, number, number] = [0.35, 0.35, 0.35];

const holderLine: AgreementPdfSection = ({ w, input }) => {
	w.write(`本份由 ${input.holder} 收执`, { size: 9, color: GREY, gap: 6 });
};

const signedText: AgreementPdfSection = ({ w, input }) => {
	// The canonical text opens with the title line; set it large and centred, the rest as body text.
	const [title, ...body] = input.text.replace(/\n$/, '').split('\n');
	w.write(title, { size: 20, center: true, gap: 8 });
	w.write(body.join('\n'), { gap: 14 });
};

const signatures: AgreementPdfSection = async ({ doc, w, input }) => {
	const sigHeight = 56;
	// The heading stays with the first signature.
	w.need(13 * 1.5 + sigHeight + 12);
	w.write('签名', { size: 13, gap: 4 });
	for (const s of input.signatures) {
		w.need(sigHeight + 8);
		const top = w.y - 4;
		w.text.draw(w.page, `${s.role}：${s.name}`, { x: MARGIN, y: top - 16, size: BODY });
		w.text.draw(w.page, `签署时间：${shanghaiDateTime(s.signedAt)}`, { x: MARGIN, y: top - 34, size: 9, color: rgb(...GREY) });
		if (s.image) drawFitted(w.page, await embedImage(doc, s.image), MARGIN + 250, top, 180, sigHeight);
		w.y = top - sigHeight - 4;
		for (const line of s.evidence ? signingEvidenceLines(s.evidence) : []) w.write(line, { size: 7, color: [0.35, 0.35, 0.35] });
	}
};

const committeeAndSeal: AgreementPdfSection = async ({ doc, w, input }) => {
	w.need(150);
	const top = w.y - 8;
	w.text.draw(w.page, input.committeeName, { x: MARGIN, y: top - 16, size: BODY });
	w.text.draw(w.page, `生效日期：${chineseDate(input.effectiveOn)}`, { x: MARGIN, y: top - 36, size: BODY });
	if (input.seal) drawFitted(w.page, await embedImage(doc, input.seal), MARGIN + 250, top, 120, 120);
	w.y = top - 130;
};

const verification: AgreementPdfSection = async ({ doc, w, input }) => {
	w.write(`协议文本 SHA-256：`, { size: 9, color: GREY });
	w.write(input.hash, { size: 9 });
	w.write(`核验码：${groupCode(input.verifyCode)}`, { size: 11, gap: 2 });
	w.write(`扫码或访问核验页面：${input.verifyUrl}`, { size: 9, gap: 4 });
	const qr = await doc.embedPng(await QRCode.toBuffer(input.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 }));
	w.need(110);
	drawFitted(w.page, qr, MARGIN, w.y - 4, 104, 104);
	w.y -= 112;
	w.write('依据《人民调解法》第三十三条，双方当事人可以自协议生效之日起三十日内共同向人民法院申请司法确认。', { size: 9, color: GREY });
	if (input.sealing !== undefined) w.write(sealingStatement(input.sealing), { size: 9, gap: 4 });
};

/** What the copy says of its digital seal, plainly, whether it has one or not. */
export function sealingStatement(sealing: AgreementPdfInput['sealing']): string {
	if (!sealing) return '本副本未加数字签名（电子签章）：文件本身不能证明未被改动，请凭核验码在核验页面核对。';
	const demo = sealing.demo ? '（演示证书，自签名，不具法律效力）' : '';
	const time = sealing.timestamped ? '并附可信时间戳' : '';
	return `本副本已由“${sealing.signer}”${demo}加盖数字签名（电子签章）${time}，任何改动都会使签名失效；可在 PDF 阅读器中查看签名，或在核验页面上传本文件核验。`;
}

/**
 * The signing record (签署过程记录) on a page of its own at the end: every signature and refusal in
 * order, then the agreement's hash, when it took effect and the audit log's head at sealing.
 */
const signingRecord: AgreementPdfSection = ({ doc, w, input }) => {
	if (!input.record) return;
	w.page = doc.addPage(A4);
	w.y = A4[1] - MARGIN;
	w.write('签署过程记录', { size: 16, center: true, gap: 4 });
	w.write(`案号 ${input.caseNumber}　${input.committeeName}`, { size: 9, color: GREY, center: true, gap: 10 });
	input.record.forEach((e, i) => {
		w.need(6 * 14 + 10);
		w.write(`${i + 1}. ${e.role} ${e.name}：${e.how}${e.voided ? '（协议文本修改后作废）' : ''}`, { size: 10 });
		for (const line of [
			`时间：${shanghaiDateTime(e.at)}（北京时间）`,
			`身份验证：${e.identified}`,
			`网络地址：${e.address}　设备：${e.device}`,
			`所签文本 SHA-256：${e.hash}`
		])
			w.write(line, { size: 8, color: GREY });
		w.y -= 8;
	});
	w.need(5 * 14);
	w.write(`协议文本 SHA-256：${input.hash}`, { size: 8 });
	if (input.effectiveAt) w.write(`协议生效时间：${shanghaiDateTime(input.effectiveAt)}（北京时间）`, { size: 8 });
	w.write(`封存时审计日志链头：${chainHeadLine(input.chainHead)}（可用 npm run audit:verify -- --head 核对）`, { size: 8 });
	if (input.sealing !== undefined) w.write(sealingStatement(input.sealing), { size: 8, color: GREY });
};

/**
 * The audit chain's head when the copy was made, in small print at the end: a paper the committee
 * cannot recall, against which `audit:verify --head` proves the log was not cut short since.
 */
const chainHeadNote: AgreementPdfSection = ({ w, input }) => {
	w.write(chainHeadLine(input.chainHead), { size: 7, color: GREY });
};

/** The sections of a copy, in order; another part is one more entry here. */
export const AGREEMENT_SECTIONS: AgreementPdfSection[] = [holderLine, signedText, signatures, committeeAndSeal, verification, chainHeadNote, signingRecord];

/** The head as printed: 审计链 第 N 条 <hash>, the two parts `audit:verify --head N:<hash>` takes. */
export function chainHeadLine(head: string): string {
	const [count, hash] = head.split(':');
	return `审计链 第 ${count} 条 ${hash}`;
}

/** Every string of a value, however deep: what the fonts of a document must cover. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
	else if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) for (const v of Object.values(value)) stringsOf(v, out);
	return out;
}

export async function renderAgreementPdf(input: AgreementPdfInput, sections: readonly AgreementPdfSection[] = AGREEMENT_SECTIONS): Promise<Uint8Array> {
	return (await buildAgreementPdf(input, sections)).save();
}

/**
 * The copy as a document not yet saved, so it can be sealed before its bytes are fixed. The frozen
 * canonical text is attached byte for byte (UTF-8): what the printed SHA-256 covers, so anyone can
 * recompute it offline without re-typing the page.
 */
export async function buildAgreementPdf(input: AgreementPdfInput, sections: readonly AgreementPdfSection[] = AGREEMENT_SECTIONS): Promise<PDFDocument> {
	const doc = await PDFDocument.create();
	// Names may need the fallback fonts; the fixed wording is all in the main one.
	const text = await PdfText.embed(doc, stringsOf(input));
	doc.setTitle(`人民调解协议书 ${input.caseNumber}`);
	doc.setSubject(`SHA-256 ${input.hash}`);
	doc.setCreator('评理 Pingli');
	doc.setLanguage('zh-CN');

	const w = new Writer(doc, text);
	for (const section of sections) await section({ doc, w, input });
	if (input.record) {
		await doc.attach(new TextEncoder().encode(input.text.normalize('NFC')), SIGNED_TEXT_ATTACHMENT, {
			mimeType: 'text/plain',
			description: `协议文本（SHA-256 ${input.hash}）`
		});
	}
	return doc;
}
