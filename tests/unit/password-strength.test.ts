import { describe, expect, it } from 'vitest';
import { isWeakPassword } from '../../src/lib/server/auth/password-strength';
import { passwordSchema } from '../../src/lib/server/people/rules';
import zh from '../../messages/security/zh-CN.json';

const firstError = (password: string) => {
	const r = passwordSchema.safeParse(password);
	return r.success ? null : r.error.issues[0].message;
};

describe('passwords on breached and common lists', () => {
	it('refuses the long but common passwords that were accepted, with a zh-CN message', () => {
		for (const p of ['aaaaaaaaaaaa', '123456789012', 'password1234', 'Password1234', 'qwerty123456', '1qaz2wsx3edc']) {
			expect({ p, weak: isWeakPassword(p) }).toEqual({ p, weak: true });
			expect(firstError(p)).toBe('sec_password_common');
		}
		expect(zh.sec_password_common).toMatch(/太常见/);
	});

	it('accepts long uncommon ones, Chinese ones included', () => {
		for (const p of ['pingli-demo-2026', 'a-brand-new-password', 'lijiacun-2026-tiaojie', '张三李四王五赵六钱七孙八']) expect(firstError(p)).toBeNull();
	});

	it('keeps the length messages first', () => {
		expect(firstError('aaaa')).toBe('err_password_short');
		expect(firstError('x'.repeat(129))).toBe('err_too_long');
	});
});
