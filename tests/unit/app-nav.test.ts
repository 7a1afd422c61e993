import { describe, expect, it } from 'vitest';
import { appNav } from '../../src/lib/server/app-nav';
import type { RoleName, Viewer } from '../../src/lib/types';

const viewer = (roles: RoleName[], department: Viewer['department'] = null): Viewer => ({
	id: 1,
	name: '测试',
	username: 't',
	phone: null,
	roles: roles.map((role) => ({ role, panelistType: null })),
	place: { id: 4, kind: 'township', name: '涂埠镇', path: '/1/4/' },
	placeTrail: ['永修县', '涂埠镇'],
	department
});

/** Links shown, as a list, so a table of roles reads at a glance. */
const shown = (v: Viewer) => Object.entries(appNav(v)).filter(([, on]) => on).map(([k]) => k);

describe('the main navigation links each role to the pages its guards let it use', () => {
	it.each<[RoleName, string[]]>([
		['supervisor', ['cases', 'newCase', 'supervision', 'stats', 'receptions', 'directory']],
		['mediator', ['cases', 'newCase', 'receptions', 'directory']],
		['legal_advisor', ['cases', 'newCase', 'receptions', 'directory']],
		['legal_villager', ['cases', 'newCase', 'receptions', 'directory']],
		['agent', ['cases', 'newCase', 'directory']],
		['grid_worker', ['cases', 'newCase', 'directory']],
		['panelist', ['cases', 'myCases', 'directory']],
		['party', ['cases']],
		['admin', ['stats', 'directory', 'admin']]
	])('%s', (role, links) => {
		expect(shown(viewer([role]))).toEqual(links);
	});

	it('statistics stop at the township: a village supervisor has none', () => {
		const village = { ...viewer(['supervisor']), place: { id: 17, kind: 'village' as const, name: '城南村', path: '/1/4/17/' } };
		expect(shown(village)).toEqual(['cases', 'newCase', 'supervision', 'directory']);
	});

	it('a department member without a casework role still gets the case list (cases routed to the department)', () => {
		expect(shown(viewer(['panelist'], { id: 2, name: '县信访局' }))).toEqual(['cases', 'receptions', 'directory']);
	});
});
