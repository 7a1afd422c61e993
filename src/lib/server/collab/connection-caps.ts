/**
 * Open sockets counted per key (a person, a client address), taken before the work and given back
 * when the socket ends. Counts are this instance's: with several instances a person may hold this
 * many on each.
 */
export class ConnectionCaps<K> {
	private readonly open = new Map<K, number>();

	constructor(private readonly max: number) {}

	/** Counts one more for `key` unless it holds `max` already. */
	tryTake(key: K): boolean {
		const n = this.open.get(key) ?? 0;
		if (n >= this.max) return false;
		this.open.set(key, n + 1);
		return true;
	}

	release(key: K): void {
		const n = this.open.get(key) ?? 0;
		if (n <= 1) this.open.delete(key);
		else this.open.set(key, n - 1);
	}

	count(key: K): number {
		return this.open.get(key) ?? 0;
	}
}
