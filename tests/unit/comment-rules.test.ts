import { describe, expect, it } from 'vitest';
import { commentableField, mayChangeStatus, nextStatus, openThreadInput } from '../../src/lib/server/comments/rules';

describe('comment rules', () => {
	it('comments go on the fields the editors show, nowhere else', () => {
		expect(commentableField('record', 'default')).toBe(true);
		expect(commentableField('record', 'facts')).toBe(false);
		expect(commentableField('agreement', 'facts')).toBe(true);
		expect(commentableField('agreement', 'responsibility:12')).toBe(true);
		expect(commentableField('agreement', 'responsibility:012')).toBe(false);
		expect(commentableField('agreement', 'meta')).toBe(false);
	});

	it('the author and the people who run the document change a thread’s status; nobody else', () => {
		expect(mayChangeStatus({ id: 7, moderates: false }, { createdBy: 7 })).toBe(true);
		expect(mayChangeStatus({ id: 8, moderates: true }, { createdBy: 7 })).toBe(true);
		expect(mayChangeStatus({ id: 8, moderates: false }, { createdBy: 7 })).toBe(false);
	});

	it('resolving a resolved thread (or reopening an open one) changes nothing', () => {
		expect(nextStatus('open', 'resolve')).toBe('resolved');
		expect(nextStatus('resolved', 'reopen')).toBe('open');
		expect(nextStatus('resolved', 'resolve')).toBeNull();
		expect(nextStatus('open', 'reopen')).toBeNull();
	});

	it('a new thread needs an anchor, a quote and words; mentions are deduplicated and capped', () => {
		const base = { field: 'default', from: 'AQID', to: 'BAUG', quote: '围墙', body: ' 请核实 ', mentions: ['3', '3', '5'] };
		expect(openThreadInput.parse(base)).toMatchObject({ body: '请核实', mentions: [3, 5] });
		expect(openThreadInput.safeParse({ ...base, from: 'not base64!' }).success).toBe(false);
		expect(openThreadInput.safeParse({ ...base, mentions: Array.from({ length: 13 }, (_, i) => String(i + 1)) }).success).toBe(false);
	});
});
