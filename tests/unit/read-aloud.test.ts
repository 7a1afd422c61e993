import { describe, expect, it } from 'vitest';
import { splitSentences, spokenText } from '../../src/lib/read-aloud';

describe('read aloud: sentences', () => {
	it('cuts at Chinese and ASCII sentence ends and at line breaks, keeping each one where it stands', () => {
		const text = '甲方支付乙方赔偿款。乙方同意！\n二、期限：2027年1月31日\n\n  。\n最后一句';
		const sentences = splitSentences(text);
		expect(sentences.map((s) => s.text)).toEqual(['甲方支付乙方赔偿款。', '乙方同意！', '二、期限：2027年1月31日', '最后一句']);
		for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
	});

	it('leaves out pieces with nothing to read (stray punctuation, blank lines)', () => {
		expect(splitSentences('\n\n。；\n——\n')).toEqual([]);
	});

	it('keeps a name outside the BMP whole', () => {
		const [s] = splitSentences('当事人𠮷田春签名。');
		expect(s.text).toBe('当事人𠮷田春签名。');
		expect(s.spoken).toBe('当事人𠮷田春签名。');
	});
});

describe('read aloud: amounts as words', () => {
	it('reads an agreement amount once, in words, not the figure and its capitals', () => {
		expect(spokenText('金额：50,000.00元（大写：人民币伍万元整）')).toBe('金额：伍万元整');
	});

	it('reads a bare figure in yuan as its capitals, with 角 and 分', () => {
		expect(spokenText('另付3000元。')).toBe('另付叁仟元整。');
		expect(spokenText('赔偿¥1,680.32')).toBe('赔偿壹仟陆佰捌拾元叁角贰分');
		expect(spokenText('共计 1005000 元')).toBe('共计 壹佰万伍仟元整');
	});

	it('leaves other numbers (dates, counts, case numbers) to the voice', () => {
		expect(spokenText('2027年1月31日前分3期支付')).toBe('2027年1月31日前分3期支付');
	});
});
