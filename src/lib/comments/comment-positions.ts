import type { Editor } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { resolveAnchor, type CommentAnchor } from '$lib/shared/comment-anchor';

/**
 * The editor's side of comment anchors: ProseMirror positions to and from the plain-text offsets of
 * shared/comment-anchor.ts (text blocks' characters joined by "\n", inline nodes counting nothing,
 * as Tiptap's Collaboration lays the same content out in Yjs), and the highlights of the passages.
 */
interface Run {
	pm: number;
	flat: number;
	len: number;
}

/** The text runs of a ProseMirror document with their plain-text offsets. */
export function textRuns(doc: PmNode): Run[] {
	const runs: Run[] = [];
	let flat = 0;
	let blocks = 0;
	doc.descendants((node, pos) => {
		if (!(node.isTextblock || (node.isBlock && node.isLeaf))) return true;
		if (blocks++ > 0) flat += 1;
		// An empty block still has a place: an offset in it maps to its start.
		runs.push({ pm: pos + 1, flat, len: 0 });
		node.forEach((child, offset) => {
			if (!child.isText) return;
			runs.push({ pm: pos + 1 + offset, flat, len: child.text!.length });
			flat += child.text!.length;
		});
		return false;
	});
	return runs;
}

/** The plain-text offset of a ProseMirror position (a position between blocks goes to the next block). */
export function pmToFlat(runs: Run[], pos: number): number {
	let best = runs[0] ? runs[0].flat : 0;
	for (const r of runs) {
		if (pos >= r.pm && pos <= r.pm + r.len) return r.flat + (pos - r.pm);
		if (r.pm > pos) return r.flat;
		best = r.flat + r.len;
	}
	return best;
}

/** The ProseMirror position of a plain-text offset. */
export function flatToPm(runs: Run[], offset: number): number | null {
	for (const r of runs) if (r.len > 0 && offset >= r.flat && offset <= r.flat + r.len) return r.pm + (offset - r.flat);
	return runs.find((r) => r.flat === offset)?.pm ?? null;
}

/** The current DOM selection as a plain-text range of this editor, or null when it is not inside it. */
export function selectionIn(editor: Editor, range: Range | null): { from: number; to: number } | null {
	if (!range || range.collapsed) return null;
	const dom = editor.view.dom;
	if (!dom.contains(range.startContainer) || !dom.contains(range.endContainer)) return null;
	try {
		const runs = textRuns(editor.state.doc);
		const from = pmToFlat(runs, editor.view.posAtDOM(range.startContainer, range.startOffset));
		const to = pmToFlat(runs, editor.view.posAtDOM(range.endContainer, range.endOffset));
		return from < to ? { from, to } : null;
	} catch {
		// posAtDOM throws for a node outside the document's view (a caret label): no usable selection.
		return null;
	}
}

/** A thread as the highlights need it. */
export interface Highlight {
	id: number;
	anchor: CommentAnchor;
	resolved: boolean;
}

const key = new PluginKey<{ threads: Highlight[]; active: number | null }>('commentHighlights');

/**
 * Highlights each thread's passage, found again from its anchor in the Y.Doc on every change. Added
 * to an open editor with `registerPlugin`, so the editor's own code does not load it.
 */
export function highlightPlugin(doc: Y.Doc, field: string): Plugin {
	let cache: { pmDoc: PmNode; threads: Highlight[]; active: number | null; set: DecorationSet } | null = null;
	return new Plugin({
		key,
		state: {
			init: () => ({ threads: [] as Highlight[], active: null as number | null }),
			apply: (tr, value) => (tr.getMeta(key) as typeof value | undefined) ?? value
		},
		props: {
			decorations(state) {
				const { threads, active } = key.getState(state)!;
				if (cache && cache.pmDoc === state.doc && cache.threads === threads && cache.active === active) return cache.set;
				const runs = textRuns(state.doc);
				const decorations: Decoration[] = [];
				for (const t of threads) {
					if (t.anchor.field !== field) continue;
					const found = resolveAnchor(doc, t.anchor);
					if (found.status === 'lost') continue;
					const from = flatToPm(runs, found.from);
					const to = flatToPm(runs, found.to);
					if (from === null || to === null || from >= to || to > state.doc.content.size) continue;
					const cls = ['comment-mark', t.resolved ? 'resolved' : '', t.id === active ? 'active' : ''].filter(Boolean).join(' ');
					decorations.push(Decoration.inline(from, to, { class: cls, 'data-thread': String(t.id) }));
				}
				cache = { pmDoc: state.doc, threads, active, set: DecorationSet.create(state.doc, decorations) };
				return cache.set;
			}
		}
	});
}

/** Gives an editor's highlight plugin the threads to show (and the one in focus). */
export function showHighlights(editor: Editor, threads: Highlight[], active: number | null): void {
	if (editor.isDestroyed) return;
	editor.view.dispatch(editor.state.tr.setMeta(key, { threads, active }).setMeta('addToHistory', false));
}

export { key as highlightKey };
