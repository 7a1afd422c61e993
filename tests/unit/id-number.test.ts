import { describe, expect, it } from 'vitest';
import { maskIdNumber, normalizeIdNumber } from '../../src/lib/utils/id-number';
import { maskPhone, normalizePhone } from '../../src/lib/utils/phone';

describe('ID numbers', () => {
	// 11010519491231002X is the standard's published example.
	it('accepts valid numbers, including X and full-width input', () => {
		expect(normalizeIdNumber('11010519491231002X')).toBe('11010519491231002X');
		expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
		expect(normalizeIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
	});
	it('rejects a wrong check character, a bad date and wrong lengths', () => {
		expect(normalizeIdNumber('110105194912310021')).toBeNull();
		expect(normalizeIdNumber('110105194913310026')).toBeNull();
		expect(normalizeIdNumber('11010519491231002')).toBeNull();
		expect(normalizeIdNumber('')).toBeNull();
	});
	it('masks all but the first and last four', () => {
		expect(maskIdNumber('36042519800101123X')).toBe('3604**********123X');
	});
});

describe('phones', () => {
	it('normalises full-width digits, spaces and +86', () => {
		expect(normalizePhone('１３８ ００１３ ８０００')).toBe('13800138000');
		expect(normalizePhone('+86-138-0013-8000')).toBe('13800138000');
	});
	it('rejects what is not an 11-digit mobile number', () => {
		expect(normalizePhone('1380013800')).toBeNull();
		expect(normalizePhone('23800138000')).toBeNull();
		expect(normalizePhone('1380013800a')).toBeNull();
	});
	it('masks all but the last four digits', () => {
		expect(maskPhone('13800138000')).toBe('*******8000');
	});
});
