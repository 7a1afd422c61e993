import { describe, expect, it } from 'vitest';
import { pageCount, pageLinks } from '../../src/lib/utils/page-links';

describe('pager links', () => {
	it('keep the rest of the query string and drop page for the first page', () => {
		const url = new URL('http://x/people?q=%F0%A0%AE%B7&page=2');
		expect(pageLinks(url, 2, 3)).toEqual({ prev: '/people?q=%F0%A0%AE%B7', next: '/people?q=%F0%A0%AE%B7&page=3' });
	});

	it('have no neighbour past either end', () => {
		expect(pageLinks(new URL('http://x/supervision'), 1, 1)).toEqual({ prev: null, next: null });
	});

	it('count at least one page', () => {
		expect(pageCount({ total: 0, pageSize: 20 })).toBe(1);
		expect(pageCount({ total: 41, pageSize: 20 })).toBe(3);
	});
});
