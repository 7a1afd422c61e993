import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { RECORD_HINTS } from '../shared/record-template';

/**
 * Shows what belongs under each section of the record (RECORD_HINTS) in the empty paragraph right
 * after its heading, as a decoration: nothing is stored, versioned or printed, and every editor of
 * the shared record sees the same hints. Written here rather than with Tiptap's Placeholder
 * extension because a hint depends on the paragraph's preceding heading, and that extension's
 * callback reads the editor's state from before the transaction it decorates (with the collaborative
 * template arriving in one transaction, positions then point into the old, empty document).
 */
export const SectionHints = Extension.create({
	name: 'sectionHints',
	addProseMirrorPlugins() {
		const editor = this.editor;
		return [
			new Plugin({
				key: new PluginKey('sectionHints'),
				props: {
					decorations: (state) => {
						if (!editor.isEditable) return DecorationSet.empty;
						const decorations: Decoration[] = [];
						let previous: PmNode | null = null;
						state.doc.forEach((node, offset) => {
							if (node.type.name === 'paragraph' && node.content.size === 0 && previous?.type.name === 'heading') {
								const hint = RECORD_HINTS[previous.textContent.trim()];
								if (hint) decorations.push(Decoration.node(offset, offset + node.nodeSize, { class: 'is-empty', 'data-placeholder': hint }));
							}
							previous = node;
						});
						return DecorationSet.create(state.doc, decorations);
					}
				}
			})
		];
	}
});
