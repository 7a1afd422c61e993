import type { CommentsView } from '$lib/server/comments/list-threads';
import type { RecordConnection } from '$lib/collab/record-connection.svelte';

/** The threads as they arrive over JSON (dates as strings). */
export type ThreadsJson = {
	threads: (Omit<CommentsView['threads'][number], 'createdAt' | 'entries'> & {
		createdAt: string;
		entries: (Omit<CommentsView['threads'][number]['entries'][number], 'createdAt'> & { createdAt: string })[];
	})[];
	people: CommentsView['people'];
};
export type ThreadJson = ThreadsJson['threads'][number];

/** A refused write as the endpoint answers it: a message key, field errors, and how long to wait. */
export interface CommentRefusal {
	message: string;
	fields: Record<string, string>;
	minutes?: number;
}

/** The awareness field a client bumps after each comment write (any value; only the change matters). */
const SIGNAL = 'comments';
/** A slow poll in case a signal was missed (a peer on another instance while the relay was down). */
const FALLBACK_POLL_MS = 60_000;

/**
 * A document's comment threads in the browser, kept current without reloading the page.
 *
 * How others' comments arrive: the writer, once the server has stored the comment, bumps a field of
 * its own awareness state on the record's existing socket; every other client sees the awareness
 * change and fetches the threads again. That costs nothing while nobody comments (no polling every
 * few seconds by every open record, each a database read), and arrives as fast as presence does.
 * Read-only peers (parties) may publish awareness too, so a party's comment reaches the mediator.
 * The signal carries no content and is only a hint: the list always comes from the server, through
 * its read check. A missed hint (offline, a relay gap) is caught by a fetch on reconnect, when the
 * tab becomes visible again, and by a slow fallback poll.
 */
export class CommentsFeed {
	threads = $state.raw<ThreadJson[]>([]);
	people = $state.raw<ThreadsJson['people']>([]);
	loaded = $state(false);
	/** The last failed load (offline); the list shown is the last good one. */
	failed = $state(false);
	private readonly seen = new Map<number, unknown>();
	private timer: ReturnType<typeof setInterval> | undefined;
	private loading: Promise<void> | null = null;
	private again = false;

	constructor(
		readonly endpoint: string,
		private readonly connection: RecordConnection
	) {
		const awareness = connection.provider.awareness;
		awareness.on('change', this.onAwareness);
		connection.provider.on('sync', this.onSync);
		document.addEventListener('visibilitychange', this.onVisible);
		this.timer = setInterval(() => void this.load(), FALLBACK_POLL_MS);
		void this.load();
	}

	get open(): number {
		return this.threads.filter((t) => t.status === 'open').length;
	}

	destroy(): void {
		clearInterval(this.timer);
		this.connection.provider.awareness.off('change', this.onAwareness);
		this.connection.provider.off('sync', this.onSync);
		document.removeEventListener('visibilitychange', this.onVisible);
	}

	/** Fetches the threads; a call while one is under way makes one more fetch after it, not many. */
	load(): Promise<void> {
		if (this.loading) {
			this.again = true;
			return this.loading;
		}
		this.loading = (async () => {
			do {
				this.again = false;
				try {
					const res = await fetch(this.endpoint, { headers: { accept: 'application/json' } });
					if (!res.ok) throw new Error(`comments ${res.status}`);
					const data = (await res.json()) as ThreadsJson;
					this.threads = data.threads;
					this.people = data.people;
					this.loaded = true;
					this.failed = false;
				} catch {
					// Offline or refused: keep the last list; the next signal, reconnect or poll tries again.
					this.failed = true;
				}
			} while (this.again);
			this.loading = null;
		})();
		return this.loading;
	}

	/** Sends one write (open, reply, resolve, reopen); on success reloads and tells the others. */
	async send(form: FormData): Promise<CommentRefusal | null> {
		let res: Response;
		try {
			res = await fetch(this.endpoint, { method: 'POST', body: form, headers: { accept: 'application/json' } });
		} catch {
			return { message: 'cm_err_network', fields: {} };
		}
		const body = (await res.json().catch(() => ({}))) as Partial<CommentRefusal>;
		if (!res.ok) {
			const minutes = body.minutes;
			return { message: res.status === 429 && minutes ? 'cm_err_retry' : (body.message ?? 'err_form'), fields: body.fields ?? {}, minutes };
		}
		this.connection.provider.awareness.setLocalStateField(SIGNAL, Date.now());
		await this.load();
		return null;
	}

	private readonly onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		const awareness = this.connection.provider.awareness;
		let news = false;
		for (const client of [...added, ...updated]) {
			if (client === awareness.clientID) continue;
			const signal = (awareness.getStates().get(client) as Record<string, unknown> | undefined)?.[SIGNAL];
			if (signal !== undefined && this.seen.get(client) !== signal) {
				// A client seen for the first time with a signal may have written before we listened.
				news = true;
				this.seen.set(client, signal);
			}
		}
		for (const client of removed) this.seen.delete(client);
		if (news) void this.load();
	};

	private readonly onSync = (synced: boolean) => {
		if (synced) void this.load();
	};

	private readonly onVisible = () => {
		if (document.visibilityState === 'visible') void this.load();
	};
}
