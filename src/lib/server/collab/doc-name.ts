/** Document names: lower-case letters, digits and `:_-`, e.g. `record:42`. */
const DOC_NAME = /^[a-z0-9][a-z0-9:_-]{0,119}$/;
/** A number written with a leading zero (`record:01`, `x-007`), or too long to be an id read exactly. */
const NON_CANONICAL_NUMBER = /(?:^|[^0-9])0[0-9]|[0-9]{16}/;

/**
 * Whether a document name is the one spelling of its document. The access policy reads the id in
 * `record:01` as 1, so without this `record:01` would be a second document beside `record:1`, with
 * its own content, presence and store, reachable by anyone who may read record 1.
 */
export function isCanonicalDocName(name: string): boolean {
	return DOC_NAME.test(name) && !NON_CANONICAL_NUMBER.test(name);
}
