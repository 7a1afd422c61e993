import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalText, formatYuan, textHash, type CanonicalAgreement } from '../../src/lib/server/agreements/canonical-text';

// "孙大伯" and "城南村" have no decomposable characters; the test text needs some that do. Hangul and
// accented Latin decompose under NFD; so do CJK compatibility ideographs (U+F900…), which NFC maps to the
// unified ideograph. Both forms appear in real input pasted from other systems.
const decomposable = '李明 café 한국 \uF900';

function agreement(overrides: Partial<CanonicalAgreement> = {}): CanonicalAgreement {
	return {
		caseNumber: '2026-000123',
		committeeName: '城南村人民调解委员会',
		revision: 1,
		parties: [
			{ id: 11, side: 'applicant', kind: 'person', name: '孙大伯', idNumberMasked: '3604**********1234', address: '城南村三组 12 号', responsibility: '无责任' },
			{ id: 12, side: 'respondent', kind: 'person', name: '钱某', idNumberMasked: null, address: null, responsibility: `夜间抽水影响下游灌溉，负主要责任。${decomposable}` }
		],
		facts: '钱某在共用水渠上加装水泵抽水，下游承包田放不进水。',
		issues: '水泵使用时间；秧苗受旱损失。',
		terms: [
			{ obligorPartyId: 12, what: '赔偿秧苗损失', amountFen: 120050, how: '现金当面交付', dueOn: '2026-12-31' },
			{ obligorPartyId: null, what: '轮流用水，每方隔日夜间用水', amountFen: null, how: '', dueOn: null }
		],
		otherTerms: '双方今后互不追究。',
		...overrides
	};
}

describe('agreement canonical text', () => {
	it('hashes NFC and NFD input of the same text identically', () => {
		const nfc = agreement();
		const nfd = agreement({
			facts: nfc.facts.normalize('NFD'),
			parties: nfc.parties.map((p) => ({ ...p, name: p.name.normalize('NFD'), responsibility: p.responsibility.normalize('NFD') }))
		});
		// The fixture really differs byte for byte before canonicalisation.
		expect(nfd.parties[1].responsibility).not.toBe(nfc.parties[1].responsibility);
		expect(canonicalText(nfd)).toBe(canonicalText(nfc));
		expect(canonicalize(nfd).hash).toBe(canonicalize(nfc).hash);
		expect(textHash('한국'.normalize('NFD'))).toBe(textHash('한국'));
	});

	it('changes the hash after any one-character change in any field', () => {
		const base = canonicalize(agreement()).hash;
		const variants: Partial<CanonicalAgreement>[] = [
			{ caseNumber: '2026-000124' },
			{ committeeName: '城北村人民调解委员会' },
			{ revision: 2 },
			{ facts: '钱某在共用水渠上加装水泵抽水，下游承包田放不进水！' },
			{ issues: '水泵使用时间；秧苗受旱损夫。' },
			{ otherTerms: '双方今后互不追究' },
			{ terms: [{ ...agreement().terms[0], amountFen: 120051 }, agreement().terms[1]] },
			{ terms: [{ ...agreement().terms[0], dueOn: '2026-12-30' }, agreement().terms[1]] },
			{ terms: [{ ...agreement().terms[0], obligorPartyId: 11 }, agreement().terms[1]] },
			{ terms: [agreement().terms[1], agreement().terms[0]] },
			{ parties: [{ ...agreement().parties[0], name: '孙大怕' }, agreement().parties[1]] },
			{ parties: [{ ...agreement().parties[0], address: '城南村三组 13 号' }, agreement().parties[1]] }
		];
		const hashes = variants.map((v) => canonicalize(agreement(v)).hash);
		for (const h of hashes) expect(h).not.toBe(base);
		expect(new Set(hashes).size).toBe(hashes.length);
	});

	it('changes the hash for a single character anywhere in the free text', () => {
		const facts = agreement().facts;
		const base = canonicalize(agreement()).hash;
		for (let i = 0; i < facts.length; i++) {
			const changed = facts.slice(0, i) + (facts[i] === '甲' ? '乙' : '甲') + facts.slice(i + 1);
			expect(canonicalize(agreement({ facts: changed })).hash).not.toBe(base);
		}
	});

	it('ignores line-end style and trailing spaces, which nobody can see', () => {
		const a = canonicalize(agreement({ facts: '第一行\n第二行' }));
		const b = canonicalize(agreement({ facts: '第一行  \r\n第二行\u3000\r\n' }));
		expect(b.hash).toBe(a.hash);
	});

	it('writes amounts and dates one way only', () => {
		expect(formatYuan(0)).toBe('0.00元');
		expect(formatYuan(5)).toBe('0.05元');
		expect(formatYuan(120050)).toBe('1200.50元');
		expect(() => formatYuan(-1)).toThrow();
		expect(() => formatYuan(1.5)).toThrow();
		const text = canonicalText(agreement());
		expect(text).toContain('金额：1200.50元（大写：人民币壹仟贰佰元伍角）');
		expect(text).toContain('履行期限：2026年12月31日');
		expect(text).toContain('履行方：各方当事人');
	});

	it('is a fixed hex SHA-256', () => {
		expect(textHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(canonicalize(agreement()).hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses a term naming a party who is not in the agreement', () => {
		expect(() => canonicalText(agreement({ terms: [{ ...agreement().terms[0], obligorPartyId: 99 }] }))).toThrow();
	});
});
