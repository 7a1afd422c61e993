import { like } from 'drizzle-orm';
import type { PlaceKind, Viewer } from '../../types';
import type { Db } from '../db';
import { places } from '../db/schema';
import { childKindOf, scopePattern } from './rules';

/** A place with everything below it. `childKind` is what may be added under it (null for a village). */
export interface PlaceNode {
	id: number;
	kind: PlaceKind;
	name: string;
	childKind: PlaceKind | null;
	children: PlaceNode[];
}

const byName = new Intl.Collator('zh-CN');

/** The actor's place and everything below it, as one tree; children in pinyin order. */
export async function listPlaces(db: Db, actor: Viewer): Promise<PlaceNode> {
	const rows = await db
		.select({ id: places.id, kind: places.kind, name: places.name, parentId: places.parentId })
		.from(places)
		.where(like(places.path, scopePattern(actor)));
	const nodes = new Map(rows.map((r) => [r.id, { id: r.id, kind: r.kind, name: r.name, childKind: childKindOf(r.kind), children: [] as PlaceNode[] }]));
	for (const r of rows) if (r.parentId != null) nodes.get(r.parentId)?.children.push(nodes.get(r.id)!);
	for (const n of nodes.values()) n.children.sort((a, b) => byName.compare(a.name, b.name));
	const root = nodes.get(actor.place.id);
	if (!root) throw new Error(`the actor's place ${actor.place.id} is missing`);
	return root;
}

/** The tree as a list in display order with depths, e.g. for a `<select>`. */
export function flattenPlaces(root: PlaceNode, depth = 0): { id: number; kind: PlaceKind; name: string; depth: number }[] {
	return [{ id: root.id, kind: root.kind, name: root.name, depth }, ...root.children.flatMap((c) => flattenPlaces(c, depth + 1))];
}
