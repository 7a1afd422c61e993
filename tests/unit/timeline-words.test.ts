import { describe, expect, it } from 'vitest';
import { CASE_EVENT_KINDS } from '../../src/lib/enums';
import { filerText, KINDS } from '../../src/routes/(app)/cases/[id=id]/labels';

type Localised = (inputs?: object, options?: { locale?: 'zh-CN' | 'en' }) => string;
const words = (kind: string, locale: 'zh-CN' | 'en') => {
	const fn = (KINDS as Record<string, Localised | undefined>)[kind];
	return fn ? fn({}, { locale }) : undefined;
};

describe('every timeline event kind has words in both languages', () => {
	it.each(CASE_EVENT_KINDS)('%s', (kind) => {
		const zh = words(kind, 'zh-CN');
		const en = words(kind, 'en');
		expect(zh, `no zh-CN words for ${kind}`).toMatch(/\p{Script=Han}/u);
		expect(en, `no en words for ${kind}`).toMatch(/^[A-Z]/);
		expect(en).not.toBe(zh);
		expect(en).not.toContain('_');
	});

	it('names no kind that is not defined (a stale label would hide a renamed kind)', () => {
		expect(Object.keys(KINDS).sort()).toEqual([...CASE_EVENT_KINDS].sort());
	});
});

describe('who filed a case', () => {
	it('says a role the name already carries once, and keeps other roles', () => {
		expect(filerText('调解员 王秀英', ['调解员'])).toBe('调解员 王秀英');
		expect(filerText('王秀英', ['调解员'])).toBe('调解员 王秀英');
		expect(filerText('代办员 吴小红', ['代办员', '网格员'])).toBe('网格员 代办员 吴小红');
		expect(filerText('𠮷野家', [])).toBe('𠮷野家');
	});
});
