import type { CollabStore } from './persistence';
import type { CollabRelay } from './relay';
import { SharedDoc, type SharedDocOptions } from './shared-doc';

/**
 * The documents in memory. Loading is shared (two clients opening one document at once get the
 * same instance); a document with no peers is unloaded after `unloadAfterMs`, once stored.
 */
export class DocRegistry {
	readonly docs = new Map<string, Promise<SharedDoc>>();
	private readonly unloadTimers = new Map<string, NodeJS.Timeout>();

	constructor(
		private readonly store: CollabStore,
		private readonly docOptions: Omit<SharedDocOptions, 'onIdle'>,
		private readonly unloadAfterMs: number,
		private readonly log: (event: string, detail: Record<string, unknown>) => void = () => {},
		private readonly relay?: CollabRelay
	) {}

	open(name: string): Promise<SharedDoc> {
		const timer = this.unloadTimers.get(name);
		if (timer) {
			clearTimeout(timer);
			this.unloadTimers.delete(name);
		}
		let doc = this.docs.get(name);
		if (!doc) {
			doc = SharedDoc.load(name, this.store, { ...this.docOptions, onIdle: (d) => this.scheduleUnload(d) }, this.relay);
			this.docs.set(name, doc);
			doc.catch(() => this.docs.delete(name));
		}
		return doc;
	}

	/** The document in memory, if it is loaded (or loading); null when not, or when its load failed. */
	async live(name: string): Promise<SharedDoc | null> {
		const pending = this.docs.get(name);
		if (!pending) return null;
		try {
			const doc = await pending;
			// Unloaded while we waited: treat it as not in memory.
			return this.docs.get(name) === pending ? doc : null;
		} catch {
			// A failed load is retried by the next client; the store is the truth meanwhile.
			return null;
		}
	}

	async flushAll(): Promise<void> {
		await Promise.all([...this.docs.values()].map(async (d) => (await d).flush()));
	}

	async destroyAll(): Promise<void> {
		for (const t of this.unloadTimers.values()) clearTimeout(t);
		this.unloadTimers.clear();
		for (const d of this.docs.values()) (await d).destroy();
		this.docs.clear();
	}

	private scheduleUnload(doc: SharedDoc): void {
		if (this.unloadTimers.has(doc.name)) return;
		const timer = setTimeout(() => {
			this.unloadTimers.delete(doc.name);
			// Someone came back: keep it. Edits still waiting to be stored: look again later.
			if (doc.peers.size > 0) return;
			if (doc.storing) return this.scheduleUnload(doc);
			this.docs.delete(doc.name);
			doc.destroy();
			this.log('document_unloaded', { docName: doc.name });
		}, this.unloadAfterMs);
		timer.unref();
		this.unloadTimers.set(doc.name, timer);
	}
}
