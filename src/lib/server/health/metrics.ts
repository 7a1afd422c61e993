import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { runningCollab } from '../collab/start-collab';

/**
 * The Prometheus metrics of this process (served at /metrics): Node's own (CPU, memory, event-loop lag,
 * GC) and what an operator of the live records watches. Kept on `globalThis` like the database and the
 * collaboration server: the production entry and the built SvelteKit bundle each load this module, and
 * both must count into the one registry the endpoint serves.
 */
export interface AppMetrics {
	registry: Registry;
	/** Failed attempts to store record updates (each is retried; acknowledged edits are never lost). */
	storeErrors: Counter;
}

const KEY = Symbol.for('pingli.metrics');
type Holder = { [KEY]?: AppMetrics };

function create(): AppMetrics {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'pingli_' });
	new Gauge({
		name: 'pingli_collab_documents',
		help: 'Records (Yjs documents) loaded in memory',
		registers: [registry],
		collect() {
			this.set(runningCollab()?.stats().documents ?? 0);
		}
	});
	new Gauge({
		name: 'pingli_collab_connections',
		help: 'Open collaboration WebSocket connections',
		registers: [registry],
		collect() {
			this.set(runningCollab()?.stats().connections ?? 0);
		}
	});
	const storeErrors = new Counter({ name: 'pingli_collab_store_errors_total', help: 'Failed attempts to store record updates', registers: [registry] });
	return { registry, storeErrors };
}

export function appMetrics(): AppMetrics {
	const holder = globalThis as Holder;
	return (holder[KEY] ??= create());
}
