import type { RoleName } from '../../types';
import type { CaseActor, CaseSnapshot, TransitionName } from './states';

/**
 * Who may move a case, as data. A grant gives some roles some transitions on the cases within one kind
 * of scope. Roles without a grant (admin is IT, not handling; legal advisers, legal-literate villagers
 * and panelists advise) get `forbidden` for every transition.
 */
export type GrantScope =
	/** The case's place is the actor's place or below it, and the actor is not department staff. */
	| 'place'
	/** The case is routed to the actor's county department. */
	| 'department'
	/** The actor is the case's assigned mediator. */
	| 'assigned_mediator'
	/** The case is assigned to a mediation studio the actor is a member of (issue 13 part 1). */
	| 'studio_member'
	/** The actor is one of the case's parties. */
	| 'own_party'
	/** The actor filed the case (an agent or grid worker filing for a resident). */
	| 'filer';

export interface Grant {
	roles: readonly RoleName[];
	scope: GrantScope;
	transitions: readonly TransitionName[];
}

export const CASE_GRANTS: readonly Grant[] = [
	{
		roles: ['supervisor', 'mediator'],
		scope: 'place',
		transitions: ['accept', 'reject', 'assign', 'escalate', 'return_down', 'extend', 'conclude', 'start_follow_up', 'archive']
	},
	// A review is decided by the supervising side, not by whoever handled the case.
	{ roles: ['supervisor'], scope: 'place', transitions: ['answer_review'] },
	// A department handles what it was given; moving the case between places stays with place staff.
	{ roles: ['supervisor', 'mediator'], scope: 'department', transitions: ['assign', 'extend', 'conclude', 'start_follow_up'] },
	{ roles: ['mediator'], scope: 'assigned_mediator', transitions: ['start_mediation', 'conclude'] },
	// A studio's members are the mediators of the cases assigned to it, wherever they sit.
	{ roles: ['mediator'], scope: 'studio_member', transitions: ['start_mediation', 'conclude'] },
	{ roles: ['party'], scope: 'own_party', transitions: ['request_review', 'request_re_review'] },
	{ roles: ['agent', 'grid_worker'], scope: 'filer', transitions: ['request_review'] }
];

const PLACE_PATH = /^\/(?:[1-9]\d*\/)+$/;

/** A well-formed place path such as '/1/4/17/'. */
export function isPlacePath(value: unknown): value is string {
	return typeof value === 'string' && PLACE_PATH.test(value);
}

/** Number of places in a path: 1 county, 2 township, 3 village. */
export function pathDepth(path: string): number {
	return path.split('/').length - 2;
}

/**
 * Whether `path` is `ancestor` or below it. Both must be well formed: a prefix test on an empty or
 * truncated path ('' or '/1') would otherwise put every case in scope.
 */
export function isAtOrBelow(path: string, ancestor: string): boolean {
	return isPlacePath(path) && isPlacePath(ancestor) && path.startsWith(ancestor);
}

export function inGrantScope(scope: GrantScope, snapshot: CaseSnapshot, actor: CaseActor): boolean {
	switch (scope) {
		case 'place':
			return actor.departmentId === null && isAtOrBelow(snapshot.placePath, actor.placePath);
		case 'department':
			return actor.departmentId !== null && snapshot.departmentId === actor.departmentId;
		case 'assigned_mediator':
			return snapshot.mediatorId === actor.id;
		case 'studio_member':
			return isStudioMember(snapshot.studioId, actor.studioIds);
		case 'own_party':
			return snapshot.partyUserIds.includes(actor.id);
		case 'filer':
			return snapshot.filedById === actor.id;
	}
}

export type Authorization =
	| { ok: true; actedAs: RoleName; scope: GrantScope }
	| { ok: false; reason: 'forbidden' | 'out_of_scope' };

/** The first grant that lets the actor do this to this case; which role and scope it came through. */
export function authorize(snapshot: CaseSnapshot, actor: CaseActor, transition: TransitionName): Authorization {
	let anyRole = false;
	for (const grant of CASE_GRANTS) {
		if (!grant.transitions.includes(transition)) continue;
		const role = grant.roles.find((r) => actor.roles.includes(r));
		if (!role) continue;
		anyRole = true;
		if (inGrantScope(grant.scope, snapshot, actor)) return { ok: true, actedAs: role, scope: grant.scope };
	}
	return { ok: false, reason: anyRole ? 'out_of_scope' : 'forbidden' };
}

/** Whether a case assigned to `studioId` is one of the studios in `studioIds`. */
export function isStudioMember(studioId: number | null | undefined, studioIds: readonly number[] | undefined): boolean {
	return studioId != null && (studioIds ?? []).includes(studioId);
}
