import * as Y from 'yjs';
import { isSuggestionMark, suggestionAuthor } from '../../shared/suggestion-id';

/**
 * Which suggestions an update settled, and how (issue 15 §2: accepting and rejecting are part of the
 * case's audit trail). SharedDoc asks before it applies a peer's update (`before`), and reads the
 * answer when the update has been applied (`settledBy`); the rows go to the store with the update, so
 * the audit row commits in the same transaction as the change it records (persistence.ts).
 *
 * Settled: a suggestion id present before the update and gone after it. Which way it went is read off
 * the text, not off Yjs items: the editor's binding writes a changed paragraph as a string diff
 * (y-prosemirror's `simpleDiff`), so rejecting "b" inserted before another "b" deletes the *other* item
 * and keeps the suggested one, unmarked. The text is what the record says, so each way is tried: the
 * fields' text before, with the settled suggestions applied or reverted, must read as the text after.
 *
 * Cheap when nothing is open: a document without suggestions is only scanned again when an update
 * carries a suggestion mark, and one with suggestions only when an update deletes or formats text
 * (typing plain text settles nothing).
 */
export interface Settlement {
	/** Who settled it: the signed-in person whose update it was. */
	actorId: number | null;
	/** The suggestion's id (it names its author: shared/suggestion-id.ts). */
	suggestionId: string;
	authorId: number | null;
	kinds: ('insertion' | 'deletion')[];
	/** 'withdrawn': the author took back their own suggestion. 'unclear': the text fits no single reading. */
	outcome: 'accepted' | 'rejected' | 'withdrawn' | 'unclear';
	/** The suggested words (inserted or marked for deletion), for the audit row's hash and length. */
	text: string;
}

/** What an update touches, read off its structs: the only updates that can open or settle a suggestion. */
export interface UpdateTouch {
	deletes: boolean;
	suggestionFormats: boolean;
}

/** The document's text as runs, taken just before an update is applied. */
export interface BeforeUpdate {
	runs: Map<string, Run[]>;
	ids: Map<string, OpenSuggestion>;
}

interface Run {
	text: string;
	insertion: string | null;
	deletion: string | null;
}

interface OpenSuggestion {
	fragment: string;
	kinds: Set<'insertion' | 'deletion'>;
	text: string;
}

/** Beyond this many settled at once (a merged offline log), the combinations are not tried one by one. */
const MAX_TRIED = 8;

export class SuggestionBook {
	private open: boolean;

	constructor(private readonly doc: Y.Doc) {
		this.open = scan(doc).ids.size > 0;
	}

	/** Whether the document holds open suggestions (as of the last update that could change it). */
	get hasOpen(): boolean {
		return this.open;
	}

	/** The runs to compare with, when `touch` could settle a suggestion; null when it cannot. */
	before(touch: UpdateTouch): BeforeUpdate | null {
		if (!this.open) {
			// Nothing to settle; an update carrying a suggestion mark may open one (seen in settledBy).
			return touch.suggestionFormats ? { runs: new Map(), ids: new Map() } : null;
		}
		return touch.deletes || touch.suggestionFormats ? scan(this.doc) : null;
	}

	/** After the update `before` was taken for: what it settled, `actorId` acting. */
	settledBy(before: BeforeUpdate, actorId: number | null): Settlement[] {
		const after = scan(this.doc);
		this.open = after.ids.size > 0;
		const settled = [...before.ids.keys()].filter((id) => !after.ids.has(id));
		if (settled.length === 0) return [];
		const outcomes = readOutcomes(before, after, settled);
		return settled.map((id) => {
			const open = before.ids.get(id)!;
			const authorId = suggestionAuthor(id)?.id ?? null;
			let outcome: Settlement['outcome'] = outcomes.get(id) ?? 'unclear';
			if (outcome === 'rejected' && authorId !== null && authorId === actorId) outcome = 'withdrawn';
			return { actorId, suggestionId: id, authorId, kinds: [...open.kinds], outcome, text: open.text };
		});
	}

	/** An update applied without `before` (another instance's, a server-side edit): keeps `hasOpen` true. */
	applied(update: Uint8Array): void {
		const touch = touchOf(update);
		if (touch.suggestionFormats || (this.open && touch.deletes)) this.open = scan(this.doc).ids.size > 0;
	}
}

/** What an update touches, decoding it (for updates no guard decoded already). */
export function touchOf(update: Uint8Array): UpdateTouch {
	const { structs, ds } = Y.decodeUpdate(update);
	return { deletes: ds.clients.size > 0, suggestionFormats: structs.some(isSuggestionFormat) };
}

/** A struct that sets or clears a suggestion mark on text. */
export function isSuggestionFormat(struct: Y.Item | Y.GC | Y.Skip): boolean {
	return struct instanceof Y.Item && struct.content instanceof Y.ContentFormat && isSuggestionMark(struct.content.key);
}

/**
 * Accepted or rejected, per settled id: each combination of outcomes (all accepted and all rejected
 * first: what the editor's buttons do) is applied to the runs before and compared with the text
 * after, field by field. Only a single fitting combination is an answer.
 */
function readOutcomes(before: BeforeUpdate, after: ReturnType<typeof scan>, settled: string[]): Map<string, 'accepted' | 'rejected'> {
	const fragments = new Set(settled.map((id) => before.ids.get(id)!.fragment));
	const fits = (accepted: Set<string>) =>
		[...fragments].every((f) => textWith(before.runs.get(f) ?? [], settled, accepted) === (after.texts.get(f) ?? ''));
	const answer = (accepted: Set<string>) => new Map(settled.map((id) => [id, accepted.has(id) ? ('accepted' as const) : ('rejected' as const)]));
	const all = new Set(settled);
	const none = new Set<string>();
	const allFits = fits(all);
	const noneFits = fits(none);
	if (allFits !== noneFits) return answer(allFits ? all : none);
	if (allFits || settled.length > MAX_TRIED) return new Map();
	let found: Set<string> | null = null;
	for (let mask = 1; mask < 2 ** settled.length - 1; mask++) {
		const accepted = new Set(settled.filter((_, i) => mask & (1 << i)));
		if (!fits(accepted)) continue;
		if (found) return new Map();
		found = accepted;
	}
	return found ? answer(found) : new Map();
}

/** A field's text once the settled suggestions go the given way (the others stay as they were). */
function textWith(runs: Run[], settled: string[], accepted: Set<string>): string {
	const isSettled = new Set(settled);
	let text = '';
	for (const run of runs) {
		let kept = true;
		if (run.insertion !== null && isSettled.has(run.insertion)) kept = accepted.has(run.insertion);
		if (run.deletion !== null && isSettled.has(run.deletion) && accepted.has(run.deletion)) kept = false;
		if (kept) text += run.text;
	}
	return text;
}

/** Every XML fragment's text runs with their suggestion marks, its plain text, and the open ids. */
function scan(doc: Y.Doc): BeforeUpdate & { texts: Map<string, string> } {
	const runs = new Map<string, Run[]>();
	const texts = new Map<string, string>();
	const ids = new Map<string, OpenSuggestion>();
	for (const [name, type] of doc.share) {
		// A root nobody asked for by its type yet (the server never does for most) is a bare AbstractType:
		// its children are read off its items, without fixing its type (a map root must stay one).
		if (type._map.size > 0 || type instanceof Y.Text || type instanceof Y.Array) continue;
		const children: unknown[] = [];
		for (let item = type._start; item; item = item.right) {
			if (!item.deleted && item.content instanceof Y.ContentType) children.push(item.content.type);
		}
		if (children.length === 0) continue;
		const list: Run[] = [];
		const visit = (node: unknown) => {
			if (node instanceof Y.XmlText) {
				for (const d of node.toDelta() as { insert: unknown; attributes?: Record<string, { id?: unknown } | null> }[]) {
					if (typeof d.insert !== 'string') continue;
					const run: Run = { text: d.insert, insertion: markId(d.attributes?.insertion), deletion: markId(d.attributes?.deletion) };
					list.push(run);
					for (const kind of ['insertion', 'deletion'] as const) {
						const id = run[kind];
						if (id === null) continue;
						const open = ids.get(id) ?? { fragment: name, kinds: new Set(), text: '' };
						open.kinds.add(kind);
						open.text += run.text;
						ids.set(id, open);
					}
				}
			} else if (node instanceof Y.XmlElement) node.toArray().forEach(visit);
		};
		children.forEach(visit);
		runs.set(name, list);
		texts.set(name, list.map((r) => r.text).join(''));
	}
	return { runs, texts, ids };
}

/** A mark's id as a string; a mark taken off may read as null until the document is compacted. */
function markId(attrs: { id?: unknown } | null | undefined): string | null {
	if (attrs == null || attrs.id == null) return null;
	return String(attrs.id);
}
