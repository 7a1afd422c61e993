import { describe, expect, it } from 'vitest';
import { amountInCapitals, chineseDate } from '../../src/lib/utils/yuan-capitals';

const yuan = (y: number) => Math.round(y * 100);

describe('amountInCapitals', () => {
	it.each([
		[yuan(50000), '人民币伍万元整'],
		[yuan(0), '人民币零元整'],
		[yuan(10), '人民币壹拾元整'],
		[yuan(15), '人民币壹拾伍元整'],
		[yuan(1680.32), '人民币壹仟陆佰捌拾元叁角贰分'],
		[yuan(100.05), '人民币壹佰元零伍分'],
		[yuan(100.5), '人民币壹佰元伍角'],
		[yuan(0.5), '人民币伍角'],
		[yuan(0.05), '人民币伍分'],
		[yuan(0.35), '人民币叁角伍分'],
		[yuan(1001), '人民币壹仟零壹元整'],
		[yuan(1010), '人民币壹仟零壹拾元整'],
		[yuan(1100), '人民币壹仟壹佰元整'],
		[yuan(10001), '人民币壹万零壹元整'],
		[yuan(100000), '人民币壹拾万元整'],
		[yuan(107000.53), '人民币壹拾万柒仟元伍角叁分'],
		[yuan(1000500), '人民币壹佰万零伍佰元整'],
		[yuan(12345678.9), '人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角'],
		[yuan(100000000), '人民币壹亿元整'],
		[yuan(100010000), '人民币壹亿零壹万元整'],
		[yuan(100000001), '人民币壹亿零壹元整'],
		[yuan(2300000000), '人民币贰拾叁亿元整']
	])('%i fen → %s', (fen, expected) => {
		expect(amountInCapitals(fen)).toBe(expected);
	});

	it('refuses what is not whole non-negative fen', () => {
		expect(() => amountInCapitals(-1)).toThrow(RangeError);
		expect(() => amountInCapitals(1.5)).toThrow(RangeError);
		expect(() => amountInCapitals(10 ** 16)).toThrow(RangeError);
	});
});

describe('chineseDate', () => {
	it('writes year, month and day without leading zeros', () => {
		expect(chineseDate('2027-01-31')).toBe('2027年1月31日');
		expect(chineseDate('2026-12-05')).toBe('2026年12月5日');
	});
	it('refuses anything but YYYY-MM-DD', () => {
		expect(() => chineseDate('2027/1/31')).toThrow(RangeError);
	});
});
