import { describe, expect, it } from 'vitest';
import { nameKey, sameName } from '../../src/lib/utils/person-name';

describe('sameName: a typed name confirms the recorded one', () => {
	it('treats the middle dot, the bullet, the katakana dot and no dot alike', () => {
		for (const typed of ['阿卜杜拉·买买提', '阿卜杜拉•买买提', '阿卜杜拉买买提', '阿卜杜拉・买买提', '阿卜杜拉･买买提', '阿卜杜拉 · 买买提', '阿卜杜拉‧买买提']) {
			expect(sameName(typed, '阿卜杜拉·买买提'), typed).toBe(true);
		}
	});

	it('ignores spaces, full-width forms and zero-width characters', () => {
		expect(sameName('孙 大伯', '孙大伯')).toBe(true);
		expect(sameName('孙\u3000大伯', '孙大伯')).toBe(true);
		expect(sameName('孙\u200b大伯', '孙大伯')).toBe(true);
		expect(sameName('ＷＡＮＧ Ｌｉ', 'WANG Li')).toBe(true);
	});

	it('keeps characters outside the BMP and tells different names apart', () => {
		expect(sameName('𠮷田春', '𠮷田春')).toBe(true);
		expect(sameName('吉田春', '𠮷田春')).toBe(false);
		expect(sameName('阿卜杜拉', '阿卜杜拉·买买提')).toBe(false);
		expect(sameName('孙大伯', '孙大娘')).toBe(false);
	});

	it('never confirms an empty or dots-only name', () => {
		expect(sameName('', '')).toBe(false);
		expect(sameName(' · ', '·')).toBe(false);
		expect(nameKey('𡈼 ·䶮')).toBe('𡈼䶮');
	});
});
