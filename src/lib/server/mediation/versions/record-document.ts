import * as Y from 'yjs';
import { RECORD_FIELD, type RecordBlock } from '../../../shared/record-schema';

/** A document from a full-state snapshot. */
export function documentFromState(state: Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return doc;
}

/**
 * The record's text as plain blocks: headings, paragraphs and list items, in order. Marks (bold,
 * italic) are dropped; this is for reading a version, not for editing it.
 */
export function recordBlocks(doc: Y.Doc): RecordBlock[] {
	const blocks: RecordBlock[] = [];
	const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, inItem: boolean) => {
		if (!(node instanceof Y.XmlElement)) return;
		if (node.nodeName === 'heading' || node.nodeName === 'paragraph' || node.nodeName === 'codeBlock') {
			const text = node
				.toArray()
				.map((child) => (child instanceof Y.XmlText ? textOf(child) : child instanceof Y.XmlElement && child.nodeName === 'hardBreak' ? '\n' : ''))
				.join('');
			if (node.nodeName === 'heading') {
				const level = Number(node.getAttribute('level'));
				blocks.push({ kind: 'heading', level: level >= 1 && level <= 6 ? level : 2, text });
			} else {
				blocks.push({ kind: inItem ? 'item' : 'paragraph', text });
			}
			return;
		}
		const item = inItem || node.nodeName === 'listItem';
		for (const child of node.toArray()) walk(child, item);
	};
	for (const node of doc.getXmlFragment(RECORD_FIELD).toArray()) walk(node, false);
	return blocks;
}

/**
 * A text node as the record reads: an open suggestion is not (yet) part of it, so words suggested for
 * insertion are left out and words suggested for deletion stay until an editor accepts (issue 15). A
 * version kept while a suggestion was open, compared with one after it was accepted, shows the words.
 */
function textOf(text: Y.XmlText): string {
	return (text.toDelta() as { insert: unknown; attributes?: { insertion?: unknown } }[])
		.map((d) => (typeof d.insert === 'string' && d.attributes?.insertion == null ? d.insert : ''))
		.join('');
}

/** Replaces the record's content with copies of another document's (one transaction's worth of work). */
export function replaceRecord(target: Y.Doc, source: Y.Doc): void {
	const fragment = target.getXmlFragment(RECORD_FIELD);
	const copies = source
		.getXmlFragment(RECORD_FIELD)
		.toArray()
		// Tiptap writes elements and text only, never XmlHooks.
		.map((node) => node.clone()) as (Y.XmlElement | Y.XmlText)[];
	target.transact(() => {
		if (fragment.length > 0) fragment.delete(0, fragment.length);
		if (copies.length > 0) fragment.insert(0, copies);
	});
}
