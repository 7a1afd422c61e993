/** Data shapes shared by server and browser. Types only: no runtime code. */
import type { PanelistType, PlaceKind, RoleName } from './enums';

export type { RoleName, PanelistType };

export type { PlaceKind };

/** The signed-in person as every page and action sees them. */
export interface Viewer {
	id: number;
	name: string;
	username: string | null;
	phone: string | null;
	roles: { role: RoleName; panelistType: PanelistType | null }[];
	place: { id: number; kind: PlaceKind; name: string; path: string };
	/** Names from the county down to the person's own place, e.g. ["永修县", "涂埠镇"]. */
	placeTrail: string[];
	/** `countyId`: the county (or city) the department hangs on, when known (loadViewer reads it). */
	department: { id: number; name: string; countyId?: number } | null;
	/**
	 * The named mediation studios (issue 13 part 1) the person is a member of: a member mediator acts
	 * as mediator on the cases assigned to those studios. Absent means none.
	 */
	studioIds?: readonly number[];
}
