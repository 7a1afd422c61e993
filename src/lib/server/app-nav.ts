import type { Viewer } from '../types';
import { FILING_ROLES } from './cases/intake/file-case';
import { isPanelistOnly, mayListCases } from './cases/list/rules';
import { STAFF_ROLES } from './people/rules';
import { mayOpenReceptionQueue } from './reception/rules';
import { mayViewStats } from './stats/rules';

/** Which of the main pages the signed-in person can use, for the navigation of every signed-in page. */
export interface AppNav {
	cases: boolean;
	/** The case list holds only the viewer's panels: it reads "我的案件". */
	myCases: boolean;
	newCase: boolean;
	supervision: boolean;
	stats: boolean;
	/** The video reception queue (视频接访, issue 14). */
	receptions: boolean;
	directory: boolean;
	admin: boolean;
}

const has = (viewer: Viewer, roles: readonly string[]) => viewer.roles.some((r) => roles.includes(r.role));

/**
 * The links follow the same rules as the guards of the pages they lead to (/cases, /cases/new,
 * /supervision, /stats, /receptions, /people, /admin), so a link never leads to a refusal and no page is left unreachable.
 */
export function appNav(viewer: Viewer): AppNav {
	return {
		cases: mayListCases(viewer),
		myCases: isPanelistOnly(viewer),
		newCase: has(viewer, FILING_ROLES),
		supervision: has(viewer, ['supervisor']),
		stats: mayViewStats(viewer),
		receptions: mayOpenReceptionQueue(viewer),
		directory: has(viewer, STAFF_ROLES),
		admin: has(viewer, ['admin'])
	};
}
