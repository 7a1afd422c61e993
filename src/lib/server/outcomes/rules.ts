import { z } from 'zod';
import { NEXT_STEPS, OUTCOME_CLASSES, OUTCOME_KINDS, PETITION_DECISIONS, type OutcomeKind } from '../../enums';
import { freeText, optionalFreeText } from '../validation';

/**
 * Pure rules of a case's outcome: how mediation ended (人民调解法 arts. 26, 28–30), the county's
 * reporting class (三个一批) and the decision on the petition (信访工作条例 art. 32).
 */

export { NEXT_STEPS, OUTCOME_CLASSES, OUTCOME_KINDS, PETITION_DECISIONS, type OutcomeKind };
/** Art. 26: when mediation fails the parties are told they may go to arbitration, an authority or a court. */
export const ROUTES = ['arbitration', 'administrative', 'litigation'] as const;

export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];
export type PetitionDecision = (typeof PETITION_DECISIONS)[number];
export type Route = (typeof ROUTES)[number];
export type NextStep = (typeof NEXT_STEPS)[number];

export const CONTENT_MAX = 4000;
export const REPLY_MAX = 4000;

/** `YYYY-MM-DDTHH:mm` from a datetime-local field, read as Shanghai time (UTC+8, no DST). */
const shanghaiLocal = z.preprocess(
	(v) => (v == null || v === '' ? null : v),
	z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'err_oc_reached_invalid')
		.transform((s) => new Date(`${s}:00+08:00`))
		.refine((d) => !Number.isNaN(d.getTime()), 'err_oc_reached_invalid')
		.nullable()
);

/** A form sends checkboxes as a list, one value, or nothing. */
const routeList = z.preprocess(
	(v) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]),
	z
		.array(z.string())
		.refine((list) => list.every((r) => (ROUTES as readonly string[]).includes(r)), 'err_oc_route_invalid')
		.transform((list) => [...new Set(list)] as Route[])
);

export const outcomeInput = z
	.object({
		kind: z.enum(OUTCOME_KINDS, { message: 'err_oc_kind_required' }),
		content: freeText(CONTENT_MAX, 'err_oc_content_required'),
		reachedAt: shanghaiLocal,
		routesTold: routeList,
		outcomeClass: z.enum(OUTCOME_CLASSES, { message: 'err_oc_class_required' }),
		petitionDecision: z.enum(PETITION_DECISIONS, { message: 'err_oc_decision_required' }),
		/** The written reply (答复) to the petitioner, shown on the public page. */
		reply: optionalFreeText(REPLY_MAX),
		next: z.preprocess((v) => (v == null || v === '' ? 'concluded' : v), z.enum(NEXT_STEPS, { message: 'err_invalid' }))
	})
	.superRefine((v, ctx) => {
		const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
		// Art. 30: an oral agreement binds from when it is reached, so that moment is part of its record.
		if (v.kind === 'oral_agreement' && !v.reachedAt) issue('reachedAt', 'err_oc_reached_required');
		if (v.reachedAt instanceof Date && v.reachedAt.getTime() > Date.now()) issue('reachedAt', 'err_oc_reached_future');
		if (v.kind === 'failure' && v.routesTold.length === 0) issue('routesTold', 'err_oc_routes_required');
		if (v.kind !== 'failure' && v.next === 'escalated') issue('next', 'err_oc_escalate_failure_only');
		// Concluding is the written reply of art. 32; a referral upward leaves the reply to the next level.
		if (v.next === 'concluded' && !v.reply) issue('reply', 'err_oc_reply_required');
		// A failed mediation has not resolved the claim; it can still have relieved hardship or explained policy.
		if (v.kind === 'failure' && v.outcomeClass === 'claim_resolved') issue('outcomeClass', 'err_oc_class_failure');
	});
export type OutcomeInput = z.input<typeof outcomeInput>;
export type ParsedOutcome = z.output<typeof outcomeInput>;

/** A party's acceptance or refusal of the outcome; a refusal says why. */
export const responseInput = z
	.object({
		partyId: z.coerce.number({ message: 'err_oc_party_required' }).int('err_oc_party_required').positive('err_oc_party_required'),
		accepted: z.enum(['yes', 'no'], { message: 'err_oc_accepted_required' }).transform((v) => v === 'yes'),
		reason: optionalFreeText(500)
	})
	.superRefine((v, ctx) => {
		if (!v.accepted && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'err_oc_refusal_reason_required' });
	});
export type ResponseInput = z.input<typeof responseInput>;

/**
 * The reason of the case's conclusion, in the record's language: the outcome as the legal wording
 * names it. (The record and the written reply are Chinese documents, whatever the page language.)
 */
export const CONCLUSION_REASON: Record<OutcomeKind, string> = {
	written_agreement: '经调解，双方达成书面调解协议',
	oral_agreement: '经调解，双方达成口头调解协议',
	partial_agreement: '经调解，双方就部分事项达成协议',
	failure: '调解不成，已终止调解并告知当事人其他救济途径'
};

/** The art. 26 routes, as told to the parties in the reply. */
export const ROUTE_NAMES: Record<Route, string> = {
	arbitration: '仲裁',
	administrative: '行政途径',
	litigation: '诉讼'
};
