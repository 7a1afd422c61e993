import { browser } from '$app/environment';
import { createAttachmentKey } from 'svelte/attachments';
import type { HTMLDetailsAttributes } from 'svelte/elements';

/** Details elements that have been through their first client render. */
const mounted = new WeakSet<HTMLDetailsElement>();

/**
 * Attributes for a `<details>` whose `open` follows the page's state (a refused form opens its section):
 * `<details {...disclosure(refused)}>`. Not `open={…}`: Svelte sets the `open` property again when the page
 * hydrates, which shuts a section someone on a slow phone opened while the script was still loading.
 * The server renders the attribute; in the browser the state moves the section only when it changes
 * after that first render.
 */
export function disclosure(open: boolean): HTMLDetailsAttributes {
	if (!browser) return { open };
	return {
		[createAttachmentKey()]: (element: HTMLDetailsElement) => {
			if (mounted.has(element)) element.open = open;
			else {
				mounted.add(element);
				if (open) element.open = true;
			}
		}
	};
}
