import type WebSocket from 'ws';
import type { WebSocketServer } from 'ws';

/**
 * Finds dead peers (a phone that lost signal) by ping/pong and drops them: a socket that has not
 * answered the previous ping by the next one is terminated. Shared by the collaboration server and
 * call signalling. With `noServer`, ws emits no 'connection' event, so each socket is `watch`ed.
 */
export function keepAlive(wss: WebSocketServer, pingMs: number): { watch(ws: WebSocket): void; stop(): void } {
	const alive = new WeakSet<WebSocket>();
	const timer = setInterval(() => {
		for (const ws of wss.clients) {
			if (!alive.has(ws)) {
				ws.terminate();
				continue;
			}
			alive.delete(ws);
			ws.ping();
		}
	}, pingMs);
	timer.unref();
	return {
		watch(ws) {
			alive.add(ws);
			ws.on('pong', () => alive.add(ws));
		},
		stop: () => clearInterval(timer)
	};
}
