import { describe, expect, it } from 'vitest';
import { accountName, hashLoginCode, parseCode, parsePhone, resendWaitSeconds } from '../../src/lib/server/parties/rules';

describe('party sign-in rules', () => {
	it('reads a phone as stored on cases: digits only, +86 and spaces gone, anything else refused', () => {
		expect(parsePhone('+86 139-0792-1001')).toBe('13907921001');
		expect(parsePhone('１３９０７９２１００１')).toBe('13907921001');
		expect(parsePhone('12907921001')).toBeNull();
		expect(parsePhone('1'.repeat(41))).toBeNull();
		expect(parsePhone(undefined)).toBeNull();
	});

	it('reads a code of exactly six digits, forgiving full-width digits and spaces', () => {
		expect(parseCode(' 01 2345 ')).toBe('012345');
		expect(parseCode('０１２３４５')).toBe('012345');
		expect(parseCode('12345')).toBeNull();
		expect(parseCode('1234567')).toBeNull();
		expect(parseCode(null)).toBeNull();
	});

	it('hashes a code with its phone, so one code of two phones is stored differently', () => {
		expect(hashLoginCode('13907921001', '123456')).toMatch(/^[0-9a-f]{64}$/);
		expect(hashLoginCode('13907921001', '123456')).not.toBe(hashLoginCode('13907921002', '123456'));
	});

	it('tells the seconds left before another code, rounded up', () => {
		const sent = new Date('2026-03-10T02:00:00Z');
		expect(resendWaitSeconds(null, sent)).toBe(0);
		expect(resendWaitSeconds(sent, new Date(sent.getTime() + 500))).toBe(60);
		expect(resendWaitSeconds(sent, new Date(sent.getTime() + 59_001))).toBe(1);
		expect(resendWaitSeconds(sent, new Date(sent.getTime() + 60_000))).toBe(0);
	});

	it('cuts an account name at 40 characters counted as PostgreSQL does, never inside a character', () => {
		const name = '𠮷'.repeat(41);
		expect(Array.from(accountName(name))).toHaveLength(40);
		expect(accountName(name)).toBe('𠮷'.repeat(40));
		expect(accountName('䶮𡈼')).toBe('䶮𡈼');
	});
});
