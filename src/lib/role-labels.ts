import { m } from '$lib/paraglide/messages';
import type { PanelistType, PlaceKind, RoleName } from '$lib/types';

export const roleLabel = (role: RoleName): string =>
	({
		admin: m.role_admin,
		supervisor: m.role_supervisor,
		mediator: m.role_mediator,
		legal_advisor: m.role_legal_advisor,
		legal_villager: m.role_legal_villager,
		panelist: m.role_panelist,
		agent: m.role_agent,
		grid_worker: m.role_grid_worker,
		party: m.role_party
	})[role]();

export const panelistTypeLabel = (type: PanelistType): string =>
	({
		lawyer: m.panelist_lawyer,
		veteran_party_member: m.panelist_veteran_party_member,
		retired_cadre: m.panelist_retired_cadre,
		model_worker: m.panelist_model_worker,
		social_worker: m.panelist_social_worker,
		counsellor: m.panelist_counsellor,
		professional_mediator: m.panelist_professional_mediator
	})[type]();

export const placeKindLabel = (kind: PlaceKind): string =>
	({ province: m.place_province, city: m.place_city, county: m.place_county, township: m.place_township, village: m.place_village })[kind]();
