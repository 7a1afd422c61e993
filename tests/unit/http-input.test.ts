import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from '../../src/lib/server/http/safe-redirect';
import { match as matchId } from '../../src/params/id';
import { match as matchHolder } from '../../src/params/holder';

const ORIGIN = 'https://pingli.example';

describe('safeRedirectTarget', () => {
	it.each([
		'/\\evil.example',
		'\\\\evil.example',
		'/\\/evil.example',
		'//evil.example',
		'///evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'https://evil.example',
		'https:evil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'data:text/html,x',
		' /cases',
		'',
		null,
		undefined
	])('refuses %j', (next) => {
		expect(safeRedirectTarget(next, ORIGIN)).toBe('/');
	});

	it.each([
		['/cases/12', '/cases/12'],
		['/cases?q=%E5%9C%9F&page=2', '/cases?q=%E5%9C%9F&page=2'],
		['/%5Cevil.example', '/%5Cevil.example'],
		['/cases/../admin', '/admin']
	])('keeps the same-origin path %j', (next, expected) => {
		expect(safeRedirectTarget(next, ORIGIN)).toBe(expected);
		// What a browser does with the Location we send: it stays on our origin.
		expect(new URL(safeRedirectTarget(next, ORIGIN), ORIGIN).origin).toBe(ORIGIN);
	});
});

describe('route id matchers', () => {
	it.each(['0xc', '1.2e1', ' 12', '%2012', '012', '-1', '0', '+12', '12 ', '１２', '99999999999', '2147483648', ''])('refuses %j', (param) => {
		expect(matchId(param)).toBe(false);
		expect(matchHolder(param)).toBe(false);
	});

	it('accepts plain ids, and the committee as a holder', () => {
		expect(matchId('12')).toBe(true);
		expect(matchId('2147483647')).toBe(true);
		expect(matchHolder('7')).toBe(true);
		expect(matchHolder('committee')).toBe(true);
		expect(matchId('committee')).toBe(false);
	});
});
