/**
 * How a draft agreement's free text (调解协议书: main facts, disputed issues, each party's
 * responsibility, other agreed matters) is laid out in its Y.Doc: one Y.XmlFragment per field, each
 * a list of paragraphs, as the plain-text editor on the agreement page writes them. Shared by the
 * browser and the server (seeding from the stored columns, reading the text at freeze).
 */
import * as Y from 'yjs';

export const AGREEMENT_FIELDS = ['facts', 'issues', 'otherTerms'] as const;
export type AgreementField = (typeof AGREEMENT_FIELDS)[number];

/** The fragment holding one party's responsibility. */
export function responsibilityField(partyId: number): string {
	return `responsibility:${partyId}`;
}

/** A field's text: its paragraphs joined by line breaks (marks and other nodes carry no text). */
export function fieldText(doc: Y.Doc, field: string): string {
	return doc
		.getXmlFragment(field)
		.toArray()
		.map((node) => (node instanceof Y.XmlElement ? paragraphText(node) : ''))
		.join('\n');
}

function paragraphText(element: Y.XmlElement): string {
	return element
		.toArray()
		.map((child) =>
			child instanceof Y.XmlText
				? (child.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('')
				: child instanceof Y.XmlElement && child.nodeName === 'hardBreak'
					? '\n'
					: ''
		)
		.join('');
}

/** Appends `text` to a field as paragraphs, one per line (an empty line is an empty paragraph). */
export function appendFieldText(doc: Y.Doc, field: string, text: string): void {
	if (text === '') return;
	const paragraphs = text.split('\n').map((line) => {
		const p = new Y.XmlElement('paragraph');
		if (line !== '') p.insert(0, [new Y.XmlText(line)]);
		return p;
	});
	const fragment = doc.getXmlFragment(field);
	fragment.insert(fragment.length, paragraphs);
}

/** Replaces a field's content with `text` (nothing happens when it already reads so). */
export function setFieldText(doc: Y.Doc, field: string, text: string): void {
	if (fieldText(doc, field) === text) return;
	const fragment = doc.getXmlFragment(field);
	doc.transact(() => {
		if (fragment.length > 0) fragment.delete(0, fragment.length);
		appendFieldText(doc, field, text);
	});
}
