/**
 * How a session's record (调解笔录) is laid out in its Y.Doc, shared by the editor in the browser and
 * by the server (versions, restore). Pure: imports Yjs types only, so both sides may use it.
 */
import type * as Y from 'yjs';

/** The Y.XmlFragment Tiptap's Collaboration extension binds to (its default field name). */
export const RECORD_FIELD = 'default';

/** A Y.Map of document-level flags; `initialised` is set in the same transaction as the template. */
export const RECORD_META = 'meta';

export const recordFragment = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(RECORD_FIELD);

/** One block of a record as plain text, for read-only views of versions. */
export interface RecordBlock {
	kind: 'heading' | 'paragraph' | 'item';
	/** Heading level (1–6) for headings. */
	level?: number;
	text: string;
}
