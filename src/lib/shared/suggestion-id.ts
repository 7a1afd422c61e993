/**
 * Who made a suggestion (issue 15 §2). The suggestion marks of `@handlewithcare/prosemirror-suggest-changes`
 * carry nothing but an `id`, so the author travels in it: `<userId>|<random>|<name>`. The server checks
 * that a read-only peer only ever writes ids of its own attested user (collab/suggestion-guard.ts), so the
 * name shown beside a suggestion is the name of whoever made it, even after they left. Pure: no Yjs, no
 * ProseMirror, so the editor's always-loaded marks may use it.
 */

export interface SuggestionAuthor {
	id: number;
	name: string;
}

export const SUGGESTION_MARKS = ['insertion', 'deletion', 'modification'] as const;
export type SuggestionMarkName = (typeof SUGGESTION_MARKS)[number];

export function isSuggestionMark(name: string): name is SuggestionMarkName {
	return (SUGGESTION_MARKS as readonly string[]).includes(name);
}

/** A new suggestion id for `author` (the random part keeps concurrent suggestions apart). */
export function suggestionId(author: SuggestionAuthor, random = Math.random().toString(36).slice(2, 10)): string {
	return `${author.id}|${random}|${author.name}`;
}

/** The author an id names, or null for an id not made by suggestionId (e.g. the library's plain numbers). */
export function suggestionAuthor(id: unknown): SuggestionAuthor | null {
	if (typeof id !== 'string') return null;
	const first = id.indexOf('|');
	const second = id.indexOf('|', first + 1);
	if (first < 1 || second < 0) return null;
	const userId = Number(id.slice(0, first));
	if (!Number.isSafeInteger(userId) || userId <= 0 || String(userId) !== id.slice(0, first)) return null;
	return { id: userId, name: id.slice(second + 1) };
}

/**
 * How many suggestions a Yjs document holds open (distinct ids of insertion and deletion marks in any
 * XML fragment). Reads Yjs types handed in, so this module stays free of a Yjs import.
 */
export function countOpenSuggestions(fragments: Iterable<{ toArray(): unknown[] }>): number {
	const ids = new Set<string>();
	const visit = (node: unknown) => {
		const n = node as { toDelta?: () => { attributes?: Record<string, { id?: unknown }> }[]; toArray?: () => unknown[] };
		if (typeof n.toDelta === 'function') {
			for (const d of n.toDelta()) {
				for (const [name, attrs] of Object.entries(d.attributes ?? {})) {
					// A mark taken off may read as a null attribute until the document is compacted.
					if ((name === 'insertion' || name === 'deletion') && attrs != null) ids.add(String(attrs.id));
				}
			}
		} else if (typeof n.toArray === 'function') n.toArray().forEach(visit);
	};
	for (const f of fragments) f.toArray().forEach(visit);
	return ids.size;
}
