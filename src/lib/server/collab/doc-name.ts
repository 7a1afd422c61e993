/** Document names: lower-case letters, digits and `:_-`, e.g. `record:42`. */
const DOC_NAME = /^[a-z0-9][a-z0-9:_-]{0,119}$/;
/** A number written with a leading zero (`record:01`, `x-007`), or too long to be an id read exactly. */
const NON_CANONICAL_NUMBER = /(?:^|[^0-9])0[0-9]|[0-9]{16}/;
/** `record:<sessionId>` and `agreement:<caseId>`: the app's two kinds of document. */
const KIND_AND_ID = /^(record|agreement):([1-9][0-9]{0,14})$/;

/**
 * A document name, read once: the mediation record (调解笔录) of one session, the free text of a case's
 * mediation agreement (调解协议书) while it is drafted, or any other canonical name (tests, benches).
 */
export type DocName =
	| { readonly name: string; readonly kind: 'record'; readonly sessionId: number }
	| { readonly name: string; readonly kind: 'agreement'; readonly caseId: number }
	| { readonly name: string; readonly kind: 'other' };

/**
 * The one spelling of a document, or null. The policies read the id in `record:01` as 1, so
 * without the canonical check `record:01` would be a second document beside `record:1`, with its own
 * content, presence and store, reachable by anyone who may read record 1.
 */
export function parseDocName(name: string): DocName | null {
	if (!DOC_NAME.test(name) || NON_CANONICAL_NUMBER.test(name)) return null;
	const match = KIND_AND_ID.exec(name);
	if (match?.[1] === 'record') return { name, kind: 'record', sessionId: Number(match[2]) };
	if (match?.[1] === 'agreement') return { name, kind: 'agreement', caseId: Number(match[2]) };
	return { name, kind: 'other' };
}

export function recordDocName(sessionId: number): string {
	return `record:${sessionId}`;
}

export function agreementDocName(caseId: number): string {
	return `agreement:${caseId}`;
}
