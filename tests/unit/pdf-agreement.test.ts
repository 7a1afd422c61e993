import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { canonicalize, type CanonicalAgreement } from '../../src/lib/server/agreements/canonical-text';
import { renderAgreementPdf, wrapLines, type AgreementPdfInput } from '../../src/lib/server/documents/agreement-pdf';
import { pdfQrCodes, pdfText } from '../support/pdf-read';

/**
 * The agreement PDF as a reader sees it: the Chinese text extracted from it is the signed text, the
 * SHA-256 and the verification code are printed, and the QR code decodes to the verification page.
 */
const agreement: CanonicalAgreement = {
	caseNumber: '2026-000123',
	committeeName: '城南村人民调解委员会',
	revision: 1,
	parties: [
		{ id: 1, side: 'applicant', kind: 'person', name: '孙大伯', idNumberMasked: '1101**********002X', address: '城南村三组', responsibility: '围墙修建时未与邻居确认边界。' },
		{ id: 2, side: 'respondent', kind: 'person', name: '李某', idNumberMasked: null, address: null, responsibility: '围墙越过宅基地证所载边界三十厘米。' }
	],
	facts: '双方宅基地相邻，二〇二五年李某新建围墙，孙大伯认为围墙越界。',
	issues: '围墙是否越界；越界部分如何处理。',
	terms: [{ obligorPartyId: 2, what: '将围墙后移三十厘米', amountFen: 120050, how: '自行拆除重建', dueOn: '2026-12-31' }],
	otherTerms: '双方今后互不追究。'
};
const { text, hash } = canonicalize(agreement);

function signaturePng(): Uint8Array {
	const png = new PNG({ width: 120, height: 40 });
	for (let i = 0; i < png.data.length; i += 4) png.data.set([0, 0, 0, (i / 4) % 120 < 60 ? 255 : 0], i);
	return new Uint8Array(PNG.sync.write(png));
}

const input: AgreementPdfInput = {
	committeeName: agreement.committeeName,
	caseNumber: agreement.caseNumber,
	text,
	hash,
	effectiveOn: '2026-11-29',
	holder: '申请人 孙大伯',
	signatures: [
		{ role: '申请人', name: '孙大伯', signedAt: new Date('2026-11-29T02:00:00Z'), image: signaturePng() },
		{ role: '被申请人', name: '李某', signedAt: new Date('2026-11-29T02:05:00Z'), image: signaturePng() },
		{ role: '人民调解员', name: '王秀英', signedAt: new Date('2026-11-29T02:10:00Z'), image: signaturePng() }
	],
	seal: signaturePng(),
	verifyCode: 'ABCDEFGHJKLMNPQR',
	verifyUrl: 'https://pingli.example.gov.cn/verify?code=ABCDEFGHJKLMNPQR',
	chainHead: `42:${'ab'.repeat(32)}`
};

describe('agreement PDF', () => {
	it('holds the signed Chinese text, the hash, the code and a QR code of the verification page', async () => {
		const bytes = await renderAgreementPdf(input);
		const { flat, pages } = await pdfText(bytes);
		// Every line of the signed text is in the document, in Chinese.
		for (const line of text.split('\n').filter((l) => l.trim() !== '')) expect(flat).toContain(line.replace(/\s+/g, ''));
		expect(flat).toContain('人民调解协议书');
		expect(flat).toContain('将围墙后移三十厘米');
		expect(flat).toContain('1200.50元');
		expect(flat).toContain(hash);
		expect(flat).toContain('ABCD-EFGH-JKLM-NPQR');
		expect(flat).toContain('本份由申请人孙大伯收执');
		expect(flat).toContain('生效日期：2026年11月29日');
		expect(flat).toContain('人民币壹仟贰佰元伍角');
		expect(flat).toContain(`审计链第42条${'ab'.repeat(32)}`);

		expect(await pdfQrCodes(bytes)).toEqual([input.verifyUrl]);
		console.log(`agreement PDF: ${bytes.length} bytes, ${pages} page(s)`);
	}, 30_000);

	it('embeds only the glyphs used, so a copy stays small', async () => {
		const bytes = await renderAgreementPdf(input);
		// The font file alone is 8.4 MB; a subset of a few hundred glyphs is tens of kilobytes.
		expect(bytes.length).toBeLessThan(200_000);
		const other = await renderAgreementPdf({ ...input, text: text.replace('三十厘米', '五十厘米') });
		expect(Buffer.from(other).equals(Buffer.from(bytes))).toBe(false);
	}, 30_000);


	it('wraps by width, keeps line breaks, and never starts a line with closing punctuation', () => {
		const byChars = (line: string) => [...line].length;
		expect(wrapLines('一二三四五六七\n八', byChars, 3)).toEqual(['一二三', '四五六', '七', '八']);
		// The full stop would open the second line: it hangs at the end of the first instead.
		expect(wrapLines('一二三。四五', byChars, 3)).toEqual(['一二三。', '四五']);
		expect(wrapLines('一二三，」四', byChars, 3)).toEqual(['一二三，」', '四']);
	});
});
