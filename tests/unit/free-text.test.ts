import { describe, expect, it } from 'vitest';
import { freeText, lineText, optionalFreeText } from '../../src/lib/server/validation';
import { draftTextInput } from '../../src/lib/server/agreements/rules';
import { nameSchema } from '../../src/lib/server/places/rules';
import { personNameSchema } from '../../src/lib/server/people/rules';

const issue = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? null : r.error!.issues[0].message);

describe('the shared text validators', () => {
	it('free text keeps its lines, as \\n whatever the form posted', () => {
		expect(freeText(100).parse('  第一行\r\n第二行\r第三行 ')).toBe('第一行\n第二行\n第三行');
		expect(freeText(100).parse('甲\t乙')).toBe('甲\t乙');
		expect(issue(freeText(100).safeParse('甲\u0007乙'))).toBe('err_invalid_chars');
		expect(issue(freeText(100).safeParse('甲\u0085乙'))).toBe('err_invalid_chars');
	});

	it('a required text names its own message when missing or blank', () => {
		expect(issue(freeText(10, 'err_x_required').safeParse('   '))).toBe('err_x_required');
		expect(issue(freeText(10, 'err_x_required').safeParse(undefined))).toBe('err_x_required');
		expect(issue(freeText(3).safeParse('一二三四'))).toBe('err_too_long');
	});

	it('counts characters outside the BMP as one each', () => {
		expect(lineText(3).parse('𠮷𡈼䶮')).toBe('𠮷𡈼䶮');
		expect(issue(lineText(3).safeParse('𠮷𡈼䶮𠮷'))).toBe('err_too_long');
	});

	it('one line refuses line ends and tabs', () => {
		expect(issue(lineText(60).safeParse('永修\n县'))).toBe('err_invalid_chars');
		expect(issue(lineText(60).safeParse('永修\t县'))).toBe('err_invalid_chars');
		expect(lineText(60).parse(' 涂埠镇\u200b ')).toBe('涂埠镇');
	});

	it("blank: 'empty' gives '' for empty or missing, and still checks what is there", () => {
		expect(freeText(10, { blank: 'empty' }).parse(undefined)).toBe('');
		expect(freeText(10, { blank: 'empty' }).parse('  ')).toBe('');
		expect(issue(freeText(3, { blank: 'empty' }).safeParse('一二三四'))).toBe('err_too_long');
		expect(issue(lineText(10, { blank: 'empty' }).safeParse(42))).toBe('err_invalid');
		expect(optionalFreeText(10).parse('  ')).toBeNull();
	});

	it('the agreement, place and person fields use them', () => {
		expect(draftTextInput.parse({ facts: '事实\r\n经过', issues: undefined, otherTerms: '' })).toMatchObject({ facts: '事实\n经过', issues: '', otherTerms: '' });
		expect(issue(nameSchema.safeParse('城南\n村'))).toBe('err_invalid_chars');
		expect(personNameSchema.parse(' 𠮷秀英 ')).toBe('𠮷秀英');
		expect(issue(personNameSchema.safeParse('张'.repeat(41)))).toBe('err_too_long');
	});
});
