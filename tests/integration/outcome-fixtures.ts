import { isHttpError, isRedirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { declareConflict } from '../../src/lib/server/mediation/panel/declare-conflict';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { caseParties } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import { fileTubuCase, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The panel world with its case in mediation (accepted, assigned to the 涂埠镇 mediator, started) and
 * a panel of three: the 城南村 panelist and villager, who declared no conflict, and the 涂埠镇 legal
 * adviser, who has not declared yet.
 */
export async function setUpOutcomeWorld(): Promise<PanelWorld> {
	const w = await setUpPanelWorld();
	await startMediation(w, w.caseId);
	const { mediator, panelist, villager, advisor } = w.viewers;
	for (const [who, memberType] of [
		[panelist, 'veteran_party_member'],
		[villager, 'legal_villager'],
		[advisor, 'legal_advisor']
	] as const) {
		await inviteMember(w.t.db, mediator, w.caseId, { userId: String(who.id), memberType, partiesConsent: '双方当事人当面口头同意' });
	}
	await declareConflict(w.t.db, panelist, w.caseId, { declaration: 'no_conflict' });
	await declareConflict(w.t.db, villager, w.caseId, { declaration: 'no_conflict' });
	return w;
}

/**
 * Accepts, assigns to the 涂埠镇 mediator and starts mediation. The demo party's account stays the
 * applicant's only: the respondent has no account (as most respondents in the county do not).
 */
export async function startMediation(w: PanelWorld, caseId: number): Promise<void> {
	const { mediator } = w.viewers;
	await w.t.db.update(caseParties).set({ userId: null }).where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'respondent')));
	await transitionCase(w.t.db, mediator, caseId, { type: 'accept' });
	await transitionCase(w.t.db, mediator, caseId, { type: 'assign', mediatorId: String(mediator.id) });
	await transitionCase(w.t.db, mediator, caseId, { type: 'start_mediation' });
}

/** A second case of the same world, in mediation. */
export async function caseInMediation(w: PanelWorld): Promise<number> {
	const id = await fileTubuCase(w);
	await startMediation(w, id);
	return id;
}

/** A request event for a route's load or action, as SvelteKit builds it. */
export function routeEvent(path: string, user: Viewer | null, method: 'GET' | 'POST', form: Record<string, string | string[]> | null, params: Record<string, string>): RequestEvent {
	const url = new URL(`http://localhost${path}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(form ?? {})) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
	return {
		locals: { user, session: null },
		params,
		url,
		route: { id: null },
		isDataRequest: false,
		request: {
			method,
			url: url.toString(),
			headers: new Headers(),
			formData: () => (form ? Promise.resolve(body) : Promise.reject(new Error('the form was read before the guard')))
		},
		getClientAddress: () => '127.0.0.1',
		cookies: { get: () => undefined, set: () => {}, delete: () => {} }
	} as unknown as RequestEvent;
}

/** What a load or action gave back: its data, a failure's status and data, an HTTP error's status, or a redirect. */
export async function routeOutcome(run: () => unknown): Promise<unknown> {
	try {
		const result = await run();
		const failure = result as ActionFailure<Record<string, unknown>> | undefined;
		return failure && typeof failure === 'object' && 'status' in failure && 'data' in failure ? { status: failure.status, ...failure.data } : result;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		if (isRedirect(err)) return `redirect ${err.location}`;
		throw err;
	}
}
