/**
 * Copies of records kept on this device: the IndexedDB databases `pingli:<user>:<document>` that
 * y-indexeddb keeps for offline editing, and the lists of edits not yet saved in localStorage
 * (`pingli:<user>:<document>:unsaved`). Signing out removes them, so the next person on a shared
 * phone does not find the record. Usable from pages and from the service worker.
 */
const PREFIX = 'pingli:';

/** Deletes every record kept in IndexedDB. A deletion blocked by a page still holding the record open completes once that page closes. */
export async function forgetRecordCopies(): Promise<void> {
	const factory = globalThis.indexedDB;
	if (!factory?.databases) return;
	const names = (await factory.databases()).map((d) => d.name).filter((name): name is string => !!name?.startsWith(PREFIX));
	await Promise.all(
		names.map(
			(name) =>
				new Promise<void>((resolve) => {
					const request = factory.deleteDatabase(name);
					request.onsuccess = request.onerror = request.onblocked = () => resolve();
				})
		)
	);
}

/** Forgets the unsaved-edit lists and the kept records (pages only: a worker has no localStorage). */
export async function forgetDeviceCopies(): Promise<void> {
	try {
		for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
	} catch {
		// Storage switched off by the browser: there is nothing kept there.
	}
	await forgetRecordCopies();
}
