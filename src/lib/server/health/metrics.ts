import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CollabServer } from '../collab/api';
import type { CollabMetrics } from '../collab/shared-doc';

/**
 * The Prometheus metrics of this process (served at /metrics): Node's own (CPU, memory, event-loop lag,
 * GC) and what an operator of the live records watches. The collaboration server is shown to it once
 * started (`observe`), so this module depends on the server's API only, not on who starts it.
 */
export interface AppMetrics {
	registry: Registry;
	/** Failed attempts to store record updates (each is retried; acknowledged edits are never lost). */
	storeErrors: Counter;
	/** Updates in and out and the saved-ack latency, as the collaboration server reports them. */
	collab: CollabMetrics;
	/** The collaboration server whose documents, connections and relay the gauges read. */
	observe(collab: CollabServer | null): void;
}

function create(): AppMetrics {
	let observed: CollabServer | null = null;
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'pingli_' });
	new Gauge({
		name: 'pingli_collab_documents',
		help: 'Records (Yjs documents) loaded in memory',
		registers: [registry],
		collect() {
			this.set(observed?.stats().documents ?? 0);
		}
	});
	new Gauge({
		name: 'pingli_collab_connections',
		help: 'Open collaboration WebSocket connections',
		registers: [registry],
		collect() {
			this.set(observed?.stats().connections ?? 0);
		}
	});
	new Gauge({
		name: 'pingli_collab_relay_up',
		help: 'With REDIS_URL: 1 while live records are shared with other instances through Redis, 0 while Redis is unreachable',
		registers: [registry],
		collect() {
			const relay = observed?.relay;
			if (relay) this.set(relay.up ? 1 : 0);
			else this.reset();
		}
	});
	const storeErrors = new Counter({ name: 'pingli_collab_store_errors_total', help: 'Failed attempts to store record updates', registers: [registry] });
	const updatesIn = new Counter({ name: 'pingli_collab_updates_in_total', help: 'Record updates received from editors and applied', registers: [registry] });
	const updatesOut = new Counter({ name: 'pingli_collab_updates_out_total', help: 'Record updates sent to connections (one per connection per fan-out)', registers: [registry] });
	const savedAck = new Histogram({
		name: 'pingli_collab_saved_ack_seconds',
		help: 'From receiving an edit to acknowledging it as stored',
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
		registers: [registry]
	});
	return {
		registry,
		storeErrors,
		collab: {
			updateIn: () => updatesIn.inc(),
			updatesOut: (peers) => updatesOut.inc(peers),
			savedAck: (ms) => savedAck.observe(ms / 1000)
		},
		observe: (collab) => {
			observed = collab;
		}
	};
}

let metrics: AppMetrics | null = null;

export function appMetrics(): AppMetrics {
	return (metrics ??= create());
}
