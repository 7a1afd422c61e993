import { describe, expect, it } from 'vitest';
import { canonicalize, type CanonicalAgreement } from '../../src/lib/server/agreements/canonical-text';
import { renderAgreementPdf, type AgreementPdfInput } from '../../src/lib/server/documents/agreement-pdf';
import { FONT_CHAIN, fontIndexFor, loadFontChain, splitRuns } from '../../src/lib/server/documents/pdf-font';
import { pdfText } from '../support/pdf-read';

/**
 * Names beyond GB2312 and beyond the BMP: each character is set in the first font of the chain that
 * has it, and comes back out of the PDF unchanged (the main font alone printed 𠮷 as a box and gave
 * back U+0000).
 */
const RARE = ['𠮷', '䶮', '𡈼', '㐀', '𪚥', '𫠝', '𬺰', '𮯠'];

describe('font chain', () => {
	it('picks per character the first font that has the glyph', () => {
		const chain = [{ has: (cp: number) => cp < 0x9fff }, { has: (cp: number) => cp === 0x20bb7 || cp === 0x4e00 }, { has: () => true }];
		expect(fontIndexFor(chain, '田'.codePointAt(0)!)).toBe(0);
		expect(fontIndexFor(chain, 0x4e00)).toBe(0);
		expect(fontIndexFor(chain, 0x20bb7)).toBe(1);
		expect(fontIndexFor(chain, 0x2123c)).toBe(2);
		expect(fontIndexFor([{ has: () => false }, { has: () => false }], 0x2123c)).toBe(0);
		expect(splitRuns(chain, '𠮷田春𡈼')).toEqual([
			{ font: 1, text: '𠮷' },
			{ font: 0, text: '田春' },
			{ font: 2, text: '𡈼' }
		]);
	});

	it('has a glyph for every Han character of GB 18030-2022 up to Extension F', async () => {
		const chain = await loadFontChain();
		expect(chain.map((f) => f.name)).toEqual(FONT_CHAIN.map((f) => f.name));
		const missing: string[] = [];
		// CJK Unified Ideographs of Unicode 10 (GB 18030-2022 level 3): the BMP block, Extension A, B–F.
		const ranges: [number, number][] = [
			[0x4e00, 0x9fd5],
			[0x3400, 0x4db5],
			[0x20000, 0x2a6d6],
			[0x2a700, 0x2b734],
			[0x2b740, 0x2b81d],
			[0x2b820, 0x2cea1],
			[0x2ceb0, 0x2ebe0]
		];
		for (const [lo, hi] of ranges) for (let cp = lo; cp <= hi; cp++) if (!chain.some((f) => f.has(cp))) missing.push(cp.toString(16));
		expect(missing).toEqual([]);
		for (const ch of RARE) expect(chain.some((f) => f.has(ch.codePointAt(0)!)), ch).toBe(true);
	}, 60_000);

	it('prints rare names and terms so that every character extracts back exactly', async () => {
		const agreement: CanonicalAgreement = {
			caseNumber: '2026-000013',
			committeeName: '𡈼村人民调解委员会',
			revision: 1,
			parties: [
				{ id: 1, side: 'applicant', kind: 'person', name: '𠮷田春', idNumberMasked: null, address: '𡈼村䶮组', responsibility: '无。' },
				{ id: 2, side: 'respondent', kind: 'person', name: '王䶮', idNumberMasked: null, address: null, responsibility: '无。' },
				{ id: 3, side: 'respondent', kind: 'person', name: '𡈼', idNumberMasked: null, address: null, responsibility: '无。' }
			],
			facts: `涉及的字：${RARE.join('')}。`,
			issues: '无。',
			terms: [{ obligorPartyId: 2, what: '向𠮷田春支付修缮费', amountFen: 5_000_000, how: '转账至𠮷田春账户', dueOn: '2027-01-31' }],
			otherTerms: '无。'
		};
		const { text, hash } = canonicalize(agreement);
		const input: AgreementPdfInput = {
			committeeName: agreement.committeeName,
			caseNumber: agreement.caseNumber,
			text,
			hash,
			effectiveOn: '2026-12-04',
			holder: '被申请人 𡈼',
			signatures: [
				{ role: '申请人', name: '𠮷田春', signedAt: new Date('2026-12-04T02:00:00Z'), image: null },
				{ role: '被申请人', name: '王䶮', signedAt: new Date('2026-12-04T02:01:00Z'), image: null },
				{ role: '被申请人', name: '𡈼', signedAt: new Date('2026-12-04T02:02:00Z'), image: null }
			],
			seal: null,
			verifyCode: 'ABCDEFGHJKLMNPQR',
			verifyUrl: 'https://pingli.example.gov.cn/verify?code=ABCDEFGHJKLMNPQR',
			chainHead: `7:${'0f'.repeat(32)}`
		};
		const bytes = await renderAgreementPdf(input);
		const { flat } = await pdfText(bytes);
		expect(flat).not.toContain('\u0000');
		for (const line of text.split('\n').filter((l) => l.trim() !== '')) expect(flat).toContain(line.replace(/\s+/g, ''));
		for (const s of ['申请人：𠮷田春', '被申请人：王䶮', '被申请人：𡈼', '本份由被申请人𡈼收执', '金额：50000.00元（大写：人民币伍万元整）', '履行期限：2027年1月31日']) {
			expect(flat).toContain(s);
		}
		// Only the fallback fonts the text needs are embedded, each as a subset: still about 100 KB.
		expect(bytes.length).toBeLessThan(250_000);
		console.log(`rare-name agreement PDF: ${bytes.length} bytes`);
	}, 60_000);
});
