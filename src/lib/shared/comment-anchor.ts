import * as Y from 'yjs';

/**
 * Where a comment thread sits in a shared document, and how it is found again as the text changes.
 *
 * The passage is held by two Yjs relative positions inside the field's Y.XmlText nodes: they name the
 * characters themselves (client id + clock), so insertions and deletions anywhere, made online or on a
 * device that was offline and merges later, move the passage with its text. A version restore copies
 * the version's nodes in as new items and deletes the old ones; positions into deleted nodes no longer
 * say anything, so the thread is found again by its quote (the passage as it read when commented on).
 *
 * Offsets here are into the field's plain text: each text block's characters, blocks joined by "\n"
 * (inline nodes such as hard breaks count for nothing). The editor maps the same offsets to its own
 * positions (comment-positions.ts), so the server, the tests and the browser share one resolver.
 * Shared code: runs on both sides.
 */
export interface CommentAnchor {
	/** The Y.XmlFragment of the document (the record's body, or an agreement field). */
	field: string;
	/** `Y.encodeRelativePosition` of the passage's start and end, base64. */
	from: string;
	to: string;
	/** The passage as it read when the thread was opened. */
	quote: string;
}

/** How a thread's passage reads now: still held by its positions, found again by its quote, or gone. */
export type ResolvedAnchor =
	| { status: 'anchored' | 'reattached'; from: number; to: number; text: string }
	| { status: 'lost' };

/** One run of text of the field: which Y.XmlText it is, and where its characters start in the plain text. */
interface Run {
	node: Y.XmlText;
	start: number;
	text: string;
}

/** The field's plain text and the text runs it is made of. */
export function plainField(doc: Y.Doc, field: string): { text: string; runs: Run[] } {
	const runs: Run[] = [];
	let text = '';
	let blocks = 0;
	const block = (el: Y.XmlElement | Y.XmlFragment) => {
		const children = el.toArray();
		const isTextBlock = children.some((c) => c instanceof Y.XmlText);
		if (isTextBlock || (el instanceof Y.XmlElement && children.length === 0)) {
			if (blocks++ > 0) text += '\n';
			for (const child of children) {
				if (!(child instanceof Y.XmlText)) continue;
				const s = plain(child);
				runs.push({ node: child, start: text.length, text: s });
				text += s;
			}
			return;
		}
		for (const child of children) if (child instanceof Y.XmlElement) block(child);
	};
	block(doc.getXmlFragment(field));
	return { text, runs };
}

function plain(node: Y.XmlText): string {
	return (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * An anchor for the plain-text range [from, to) of a field. The start sticks to the character after
 * it and the end to the character before it, so typing just outside the passage does not grow it.
 * Null when the range is empty or outside the text.
 */
export function createAnchor(doc: Y.Doc, field: string, from: number, to: number, maxQuote = 500): CommentAnchor | null {
	const { text, runs } = plainField(doc, field);
	if (!(from >= 0 && to <= text.length && from < to)) return null;
	const start = locate(runs, from, 'start');
	const end = locate(runs, to, 'end');
	if (!start || !end) return null;
	const encode = (run: Run, offset: number, assoc: number) =>
		toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(run.node, offset - run.start, assoc)));
	return { field, from: encode(start, from, 0), to: encode(end, to, -1), quote: text.slice(from, to).slice(0, maxQuote) };
}

/** The run holding a start offset (its character follows) or an end offset (its character precedes). */
function locate(runs: Run[], offset: number, side: 'start' | 'end'): Run | undefined {
	return side === 'start'
		? runs.find((r) => offset >= r.start && offset < r.start + r.text.length)
		: runs.find((r) => offset > r.start && offset <= r.start + r.text.length);
}

/** Finds an anchor's passage in the document as it is now. */
export function resolveAnchor(doc: Y.Doc, anchor: CommentAnchor): ResolvedAnchor {
	const { text, runs } = plainField(doc, anchor.field);
	const from = offsetOf(doc, runs, anchor.from);
	const to = offsetOf(doc, runs, anchor.to);
	if (from !== null && to !== null && from < to) return { status: 'anchored', from, to, text: text.slice(from, to) };
	if (anchor.quote) {
		const at = text.indexOf(anchor.quote);
		if (at >= 0) return { status: 'reattached', from: at, to: at + anchor.quote.length, text: anchor.quote };
	}
	return { status: 'lost' };
}

/** A relative position's plain-text offset, or null when it points into text no longer in the field. */
function offsetOf(doc: Y.Doc, runs: Run[], encoded: string): number | null {
	let rel: Y.RelativePosition;
	try {
		rel = Y.decodeRelativePosition(fromBase64(encoded));
	} catch {
		// Not a position we wrote (the column holds only ours); treat like a position that no longer resolves.
		return null;
	}
	const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc);
	if (!abs || !(abs.type instanceof Y.XmlText) || deleted(abs.type)) return null;
	const run = runs.find((r) => r.node === abs.type);
	return run ? run.start + Math.min(abs.index, run.text.length) : null;
}

/** Whether a type or any node above it was deleted (Yjs still resolves positions inside deleted types). */
function deleted(type: { _item: Y.Item | null }): boolean {
	for (let item = type._item; item; item = (item.parent as { _item: Y.Item | null })._item) {
		if (item.deleted) return true;
	}
	return false;
}
