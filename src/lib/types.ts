/** Data shapes shared by server and browser. Types only: no runtime code. */

export type RoleName =
	| 'admin'
	| 'supervisor'
	| 'mediator'
	| 'legal_advisor'
	| 'legal_villager'
	| 'panelist'
	| 'agent'
	| 'grid_worker'
	| 'party';

export type PanelistType =
	| 'lawyer'
	| 'veteran_party_member'
	| 'retired_cadre'
	| 'model_worker'
	| 'social_worker'
	| 'counsellor'
	| 'professional_mediator';

export type PlaceKind = 'county' | 'township' | 'village';

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
	department: { id: number; name: string } | null;
}
