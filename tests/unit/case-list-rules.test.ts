import { describe, expect, it } from 'vitest';
import {
	containsPattern,
	DEFAULT_FILTERS,
	filtersToParams,
	isCaseNumber,
	MAX_PAGE,
	mayListCases,
	parseListFilters,
	FOLD_FROM,
	FOLD_TO,
	searchFold
} from '../../src/lib/server/cases/list/rules';
import type { RoleName, Viewer } from '../../src/lib/types';

const parse = (query: string) => parseListFilters(new URLSearchParams(query));

const viewer = (roles: RoleName[], department: Viewer['department'] = null): Viewer => ({
	id: 1,
	name: '测试',
	username: 't',
	phone: null,
	roles: roles.map((role) => ({ role, panelistType: role === 'panelist' ? 'lawyer' : null })),
	place: { id: 1, kind: 'county', name: '永修县', path: '/1/' },
	placeTrail: ['永修县'],
	department
});

describe('parseListFilters', () => {
	it('gives the defaults for an empty query', () => {
		expect(parse('')).toEqual({ filters: DEFAULT_FILTERS, fields: {} });
	});

	it('reads every filter', () => {
		const { filters, fields } = parse('q=%20宅基地%20%20纠纷%20&status=registered&status=accepted&status=registered&place=7&category=3&channel=agent&due=overdue&repeat=1&from=2026-01-01&to=2026-02-28&sort=due_asc&page=3');
		expect(fields).toEqual({});
		expect(filters).toEqual({
			statuses: ['registered', 'accepted'],
			placeId: 7,
			categoryId: 3,
			channel: 'agent',
			due: 'overdue',
			repeatOnly: true,
			text: '宅基地 纠纷',
			from: '2026-01-01',
			to: '2026-02-28',
			sort: 'due_asc',
			page: 3
		});
	});

	it('drops values a hand-edited URL may carry', () => {
		const { filters } = parse('status=closed&place=-1&category=1e3&channel=fax&due=late&repeat=yes&sort=random&page=0&q=%20%20');
		expect(filters).toEqual(DEFAULT_FILTERS);
		expect(parse('place=99999999999').filters.placeId).toBeNull();
		expect(parse('page=abc').filters.page).toBe(1);
		expect(parse('page=100000').filters.page).toBe(MAX_PAGE);
	});

	it('normalises full-width text and cuts it at 50 characters', () => {
		expect(parse('q=２０２６－０００１２３').filters.text).toBe('2026-000123');
		expect(parse(`q=${'纠'.repeat(80)}`).filters.text).toHaveLength(50);
	});

	it('reports impossible dates and a range that ends before it starts', () => {
		expect(parse('from=2026-02-30').fields).toEqual({ from: 'err_date_invalid' });
		expect(parse('from=2026-02-30').filters.from).toBeNull();
		const reversed = parse('from=2026-03-01&to=2026-02-01');
		expect(reversed.fields).toEqual({ to: 'caselist_err_date_order' });
		expect(reversed.filters).toMatchObject({ from: '2026-03-01', to: null });
	});
});

describe('filtersToParams', () => {
	it('round-trips through the parser and leaves defaults out', () => {
		const { filters } = parse('q=孙&status=archived&due=ok&place=4&category=2&channel=sms&repeat=1&from=2025-01-01&to=2025-12-31&sort=activity_desc&page=2');
		expect(parse(filtersToParams(filters).toString()).filters).toEqual(filters);
		expect(filtersToParams(DEFAULT_FILTERS).toString()).toBe('');
		expect(filtersToParams(filters, 1).has('page')).toBe(false);
	});
});

describe('text helpers', () => {
	it('recognises case numbers only in their full form', () => {
		expect(isCaseNumber('2026-000123')).toBe(true);
		expect(isCaseNumber('2026-00012')).toBe(false);
		expect(isCaseNumber('2026000123')).toBe(false);
	});

	it('escapes LIKE wildcards and the escape character', () => {
		expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
	});
});

describe('mayListCases', () => {
	it('lets casework roles, department members and panelists (their own panels) in, and keeps admins out', () => {
		for (const role of ['supervisor', 'mediator', 'legal_advisor', 'legal_villager', 'agent', 'grid_worker', 'party'] as const) {
			expect(mayListCases(viewer([role]))).toBe(true);
		}
		expect(mayListCases(viewer(['admin']))).toBe(false);
		// A panelist's list is "my cases": only the panels he sits on (caseVisibility gives him nothing else).
		expect(mayListCases(viewer(['panelist']))).toBe(true);
		expect(mayListCases(viewer(['admin', 'panelist']))).toBe(false);
		expect(mayListCases(viewer(['panelist'], { id: 3, name: '县民政局' }))).toBe(true);
	});
});

describe('the search fold', () => {
	it('folds width and ASCII case one character for one, and leaves CJK and planes beyond the BMP alone', () => {
		expect(FOLD_FROM.length).toBe(FOLD_TO.length);
		expect(searchFold('关于：宅基地（３号）ＡＢc')).toBe('关于:宅基地(3号)abc');
		expect(searchFold('𠮷田　一郎')).toBe('𠮷田 一郎');
	});

	it('keeps the typed query as stored text is kept (no NFKC), and reads a full-width case number', () => {
		expect(parseListFilters(new URLSearchParams({ q: '  关于：宅基地\u200b ' })).filters.text).toBe('关于：宅基地');
		expect(parseListFilters(new URLSearchParams({ q: '２０２６-０００１２３' })).filters.text).toBe('2026-000123');
	});
});
