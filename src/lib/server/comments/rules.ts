import { z } from 'zod';
import type { RateLimitRule } from '../auth/rate-limit';
import { formId, freeText } from '../validation';
import { AGREEMENT_FIELDS } from '../../shared/agreement-schema';
import { RECORD_FIELD } from '../../shared/record-schema';

/**
 * Each person's budget for writing comments (opening a thread, replying, resolving, reopening): a
 * person discussing a record adds a few a minute at most; a script must not fill the case's audit
 * trail and the mentioned people's home pages. Counted per account, atomically, before any work.
 */
export const COMMENT_WRITES: RateLimitRule = { name: 'comment-write', max: 40, windowMs: 10 * 60_000 };

/** At most this many people mentioned in one comment (everyone on a case fits). */
export const MAX_MENTIONS = 12;
export const MAX_BODY = 2000;
export const MAX_QUOTE = 500;

/** A relative position as `Y.encodeRelativePosition` writes it, base64 (a few dozen bytes). */
const position = z.string({ message: 'cm_err_anchor' }).regex(/^[A-Za-z0-9+/]{4,200}={0,2}$/, 'cm_err_anchor');

const mentions = z
	.array(formId)
	.max(MAX_MENTIONS, 'cm_err_mentions')
	.transform((ids) => [...new Set(ids)]);

/** A new thread: the passage's anchor (written by the browser from the selection) and the first comment. */
export const openThreadInput = z.object({
	field: z.string().min(1, 'cm_err_anchor').max(60, 'cm_err_anchor'),
	from: position,
	to: position,
	quote: freeText(MAX_QUOTE, 'cm_err_quote'),
	body: freeText(MAX_BODY, 'cm_err_body'),
	mentions
});

export const replyInput = z.object({ threadId: formId, body: freeText(MAX_BODY, 'cm_err_body'), mentions });
export const statusInput = z.object({ threadId: formId });

/** Whether a field may carry comments in a document of this kind (the fields its editors show). */
export function commentableField(kind: 'record' | 'agreement', field: string): boolean {
	if (kind === 'record') return field === RECORD_FIELD;
	return (AGREEMENT_FIELDS as readonly string[]).includes(field) || /^responsibility:[1-9][0-9]{0,14}$/.test(field);
}

/**
 * Who may resolve or reopen a thread: whoever opened it, and the people who run or edit the
 * document (the mediator, panel members, editors). A party resolves their own threads only, so a
 * party cannot close another person's objection.
 */
export function mayChangeStatus(who: { id: number; moderates: boolean }, thread: { createdBy: number }): boolean {
	return who.moderates || thread.createdBy === who.id;
}

/** The status a resolve or reopen moves a thread to, or null when it is already there. */
export function nextStatus(current: 'open' | 'resolved', intent: 'resolve' | 'reopen'): 'open' | 'resolved' | null {
	const target = intent === 'resolve' ? 'resolved' : 'open';
	return current === target ? null : target;
}
