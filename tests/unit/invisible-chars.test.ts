import { describe, expect, it } from 'vitest';
import { normalizeText, stripInvisible } from '../../src/lib/utils/invisible-chars';
import { freeText } from '../../src/lib/server/validation';
import { partyInput } from '../../src/lib/server/cases/intake/rules';
import { safeFileName } from '../../src/lib/server/cases/work/attachment-rules';

describe('stripInvisible', () => {
	it.each([
		['张三\u202e四李', '张三四李'],
		['\u202a王\u202c五', '王五'],
		['\u2066赵\u2069六', '赵六'],
		['李\u200b四', '李四'],
		['李\u200d四', '李四'],
		['李\u200c四', '李四'],
		['\ufeff孙\u2060七', '孙七'],
		['\u200e\u200f\u061c周八', '周八'],
		['\u200d👍', '👍'],
		['👍\u200d', '👍']
	])('drops what changes the display of %j', (input, expected) => {
		expect(stripInvisible(input)).toBe(expected);
	});

	it.each([
		'吉𠮷',
		'阿卜杜拉·买买提',
		'张•三',
		'䶮𡈼',
		'👨\u200d👩\u200d👧',
		'👩🏽\u200d💻',
		'❤️\u200d🔥',
		'مى\u200cخواهم',
		'葛\ufe00',
		'ᠮᠣᠩᠭᠣᠯ\u180b',
		'O’Brien-Smith'
	])('keeps %j exactly', (input) => {
		expect(stripInvisible(input)).toBe(input);
	});

	it('normalises to NFC first', () => {
		expect(normalizeText('e\u0301\u202e')).toBe('é');
	});
});

describe('every free-text field strips them', () => {
	it('the shared freeText', () => {
		expect(freeText(60).parse('张三\u202e四李')).toBe('张三四李');
		expect(freeText(60).parse('吉𠮷·\u200b买买提')).toBe('吉𠮷·买买提');
		// Nothing but invisible characters is nothing at all.
		expect(freeText(60).safeParse('\u200b\u202e').success).toBe(false);
	});

	it('a party name and a case title on intake', () => {
		const party = partyInput.parse({ side: 'applicant', name: '阿卜杜拉\u202e·买买提\u200d', phone: '', idNumber: '', address: '' });
		expect(party.name).toBe('阿卜杜拉·买买提');
	});

	it('an attachment file name', () => {
		expect(safeFileName('invoice\u202egpj.exe', 'image/png' as never)).toBe('invoicegpj.png');
		expect(safeFileName('照片\u200b𠮷.jpg', 'image/jpeg' as never)).toMatch(/^照片𠮷\./);
	});
});
