/**
 * THE WIRE RULE for suggestions (issue 15 §2). A read-only peer allowed to suggest (a party) sends Yjs
 * updates like anyone else; the server applies one only when it is purely a suggestion by that peer:
 * it adds or takes back insertion and deletion marks (and text carrying them) under the peer's own
 * attested id and name, and nothing else: no plain edit, no accepting or rejecting, nothing of anybody
 * else's suggestions, no other shared type touched.
 *
 * Checked on a copy: the document's state plus the update, read as ProseMirror documents and compared
 * with the peer's suggestions reverted (shared/suggestion-projection.ts). Reading Yjs at the level of
 * items would not do: the editor turns a split paragraph into fresh items for the moved text, which a
 * check of "only marked items added" would refuse although it is a suggestion.
 *
 * Pure: no sockets, no database; SharedDoc calls it for read-only peers (shared-doc.ts).
 */
import { Schema, type MarkSpec, type Node as PMNode, type NodeSpec } from 'prosemirror-model';
import { addSuggestionMarks } from '@handlewithcare/prosemirror-suggest-changes';
import * as Y from 'yjs';
import { isSuggestionMark, type SuggestionAuthor } from '../../shared/suggestion-id';
import { onlySuggests } from '../../shared/suggestion-projection';
import type { Peer } from './peer';

/**
 * The app's rule for who may suggest without editing: a read-only peer the server attested as one of
 * the case's parties (mediation/record-identity.ts), under its own id and name, while the document's
 * policy still lets readers suggest (`canSuggest`: not on a frozen agreement). Observers (supervisors,
 * panel members who only read) watch, as before.
 */
export function partySuggester(peer: Pick<Peer, 'identity' | 'canSuggest'>): SuggestionAuthor | null {
	if (!peer.canSuggest) return null;
	const user = peer.identity;
	if (!user || user.role !== 'party' || typeof user.id !== 'number' || typeof user.name !== 'string') return null;
	return { id: user.id, name: user.name };
}

export type SuggestionVerdict = { ok: true } | { ok: false; why: string };

/** Blocks holding text (Tiptap's names); every other element holds blocks, or nothing (leaves). */
const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);
const INLINE_LEAVES = new Set(['hardBreak', 'image', 'mention']);
const BLOCK_LEAVES = new Set(['horizontalRule']);
const SUGGESTION_ATTRS: Record<string, Set<string>> = {
	insertion: new Set(['id']),
	deletion: new Set(['id']),
	modification: new Set(['id', 'type', 'attrName', 'previousValue', 'newValue'])
};

/**
 * Whether applying `update` to `doc` changes it only by `author` suggesting. `doc` is left untouched.
 * An update that cannot be applied whole (it waits for content the document lacks) is refused too:
 * what it would do cannot be seen yet.
 */
export function checkSuggestion(doc: Y.Doc, update: Uint8Array, author: SuggestionAuthor): SuggestionVerdict {
	const copy = new Y.Doc({ gc: false });
	try {
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const before = snapshot(copy);
		const waiting = Boolean(copy.store.pendingStructs || copy.store.pendingDs);
		let changed = false;
		copy.on('update', () => (changed = true));
		Y.applyUpdate(copy, update);
		if (!waiting && (copy.store.pendingStructs || copy.store.pendingDs)) return { ok: false, why: 'depends on content the document lacks' };
		if (!changed) return { ok: true };
		const after = snapshot(copy);
		for (const name of new Set([...before.keys(), ...after.keys()])) {
			const b = before.get(name);
			const a = after.get(name);
			if (!a || !b || a.kind !== b.kind) return { ok: false, why: `shared type ${name} created or replaced` };
			if (a.json === b.json) continue;
			if (a.kind !== 'xml' || b.kind !== 'xml') return { ok: false, why: `${name} is not text` };
			const schema = schemaFor(b.tree, a.tree);
			if (!onlySuggests(toNode(schema, b.tree), toNode(schema, a.tree), author)) return { ok: false, why: `${name}: not purely ${author.id}'s suggestion` };
		}
		return { ok: true };
	} catch (err) {
		return { ok: false, why: err instanceof Error ? err.message : String(err) };
	} finally {
		copy.destroy();
	}
}

type Tree = { name: string; attrs: Record<string, unknown>; children: (Tree | Run)[] };
type Run = { text: string; marks: Record<string, Record<string, unknown>> };
type Root = { kind: 'xml'; tree: Tree; json: string } | { kind: 'map' | 'text' | 'array'; json: string };

/** Every root type of a document: XML fragments as trees, anything else as its JSON. */
function snapshot(doc: Y.Doc): Map<string, Root> {
	const roots = new Map<string, Root>();
	for (const [name, type] of [...doc.share]) {
		const kind = rootKind(type);
		if (kind === 'xml') {
			const fragment = doc.getXmlFragment(name);
			// Content under a key of the fragment itself is shown by no editor: nobody may add it.
			if (fragment._map.size > 0) throw new Error(`keys on fragment ${name}`);
			const tree: Tree = { name: 'doc', attrs: {}, children: fragment.toArray().map(readNode) };
			roots.set(name, { kind, tree, json: JSON.stringify(tree) });
		} else if (kind === 'map') roots.set(name, { kind, json: JSON.stringify(doc.getMap(name).toJSON()) });
		else if (kind === 'text') roots.set(name, { kind, json: JSON.stringify(doc.getText(name).toDelta()) });
		else roots.set(name, { kind, json: JSON.stringify(doc.getArray(name).toJSON()) });
	}
	return roots;
}

/**
 * What a root is: by its class once something asked for it, else (a root only an update has named) by
 * its content, so the same root reads the same before and after, and a change of kind shows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the type of doc.share
function rootKind(type: Y.AbstractType<Y.YEvent<any>>): Root['kind'] {
	if (type instanceof Y.XmlFragment) return 'xml';
	if (type instanceof Y.Map) return 'map';
	if (type instanceof Y.Text) return 'text';
	if (type instanceof Y.Array) return 'array';
	if (type._map.size > 0) return 'map';
	for (let item = type._start; item; item = item.right) {
		const c = item.content;
		if (c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed) return 'text';
		if (c instanceof Y.ContentAny || c instanceof Y.ContentJSON || c instanceof Y.ContentBinary || c instanceof Y.ContentDoc) return 'array';
	}
	return 'xml';
}

function readNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook): Tree | Run {
	if (node instanceof Y.XmlElement) {
		const children: (Tree | Run)[] = [];
		for (const child of node.toArray()) {
			if (child instanceof Y.XmlText) children.push(...readText(child));
			else children.push(readNode(child));
		}
		return { name: node.nodeName, attrs: node.getAttributes() as Record<string, unknown>, children };
	}
	throw new Error('text or hook outside a block');
}

function readText(text: Y.XmlText): Run[] {
	return (text.toDelta() as { insert: unknown; attributes?: Record<string, Record<string, unknown>> }[]).map((d) => {
		if (typeof d.insert !== 'string') throw new Error('embedded object in text');
		const marks = d.attributes ?? {};
		for (const [name, attrs] of Object.entries(marks)) {
			const allowed = SUGGESTION_ATTRS[name];
			if (allowed && (typeof attrs !== 'object' || attrs === null || Object.keys(attrs).some((k) => !allowed.has(k)))) throw new Error(`odd ${name} mark`);
		}
		return { text: d.insert, marks };
	});
}

/** A schema holding exactly the nodes, attributes and marks the two trees use, so nothing is lost in reading. */
function schemaFor(...trees: Tree[]): Schema {
	const nodeAttrs = new Map<string, Set<string>>();
	const markAttrs = new Map<string, Set<string>>();
	const walk = (t: Tree) => {
		const attrs = nodeAttrs.get(t.name) ?? new Set<string>();
		nodeAttrs.set(t.name, attrs);
		for (const k of Object.keys(t.attrs)) attrs.add(k);
		for (const c of t.children) {
			if ('text' in c) {
				for (const [m, a] of Object.entries(c.marks)) {
					const set = markAttrs.get(m) ?? new Set<string>();
					markAttrs.set(m, set);
					for (const k of Object.keys(a ?? {})) set.add(k);
				}
			} else walk(c);
		}
	};
	trees.forEach(walk);
	nodeAttrs.delete('doc');
	const withDefaults = (keys: Set<string>) => Object.fromEntries([...keys].map((k) => [k, { default: null }]));
	const nodes: Record<string, NodeSpec> = { doc: { content: 'block*', marks: 'insertion modification deletion' }, text: { group: 'inline' } };
	for (const [name, keys] of nodeAttrs) {
		if (name === 'doc' || name === 'text') throw new Error(`element named ${name}`);
		const attrs = withDefaults(keys);
		if (TEXTBLOCKS.has(name)) nodes[name] = { group: 'block', content: 'inline*', attrs };
		else if (INLINE_LEAVES.has(name)) nodes[name] = { group: 'inline', inline: true, attrs };
		else if (BLOCK_LEAVES.has(name)) nodes[name] = { group: 'block', attrs };
		else nodes[name] = { group: 'block', content: 'block*', attrs };
	}
	const marks: Record<string, MarkSpec> = {};
	for (const [name, keys] of markAttrs) if (!isSuggestionMark(name)) marks[name] = { attrs: withDefaults(keys) };
	return new Schema({ nodes, marks: addSuggestionMarks(marks) });
}

function toNode(schema: Schema, tree: Tree): PMNode {
	const children = tree.children.flatMap((c) =>
		'text' in c ? (c.text === '' ? [] : [schema.text(c.text, Object.entries(c.marks).map(([m, a]) => schema.mark(m, a)))]) : [toNode(schema, c)]
	);
	const node = schema.node(tree.name, tree.name === 'doc' ? null : tree.attrs, children);
	node.check();
	return node;
}
