import { m } from '$lib/paraglide/messages';
import { panelistTypeLabel } from '$lib/role-labels';
import type { PanelistType } from '$lib/types';

const PANELIST_TYPES: readonly string[] = ['lawyer', 'veteran_party_member', 'retired_cadre', 'model_worker', 'social_worker', 'counsellor', 'professional_mediator'];

/** A panel member type: one of the seven panelist kinds, or a legal adviser / legal-literate villager. */
export function memberTypeLabel(type: string): string {
	if (type === 'legal_advisor') return m.member_type_legal_advisor();
	if (type === 'legal_villager') return m.member_type_legal_villager();
	return PANELIST_TYPES.includes(type) ? panelistTypeLabel(type as PanelistType) : type;
}

const CAPACITY: Record<string, () => string> = {
	mediator: m.ss_capacity_mediator,
	party: m.ss_capacity_party,
	relative: m.ss_capacity_relative,
	neighbour: m.ss_capacity_neighbour,
	witness: m.ss_capacity_witness,
	representative: m.ss_capacity_representative,
	observer: m.ss_capacity_observer
};

/** The capacity someone attended a session in (a panel member's is their member type). */
export function capacityLabel(capacity: string): string {
	return CAPACITY[capacity]?.() ?? memberTypeLabel(capacity);
}
