import type { IncomingMessage } from 'node:http';

/**
 * The client's address on a WebSocket upgrade, decided as adapter-node decides it for every other
 * request (auth/client-address.ts): the forwarding header only when ADDRESS_HEADER names one for the
 * proxy in front, else the socket's peer. Upgrades never pass through SvelteKit, hence this copy of
 * adapter-node's rule. Throws on a request that lacks the configured header (refused as malformed).
 */
export function upgradeAddress(header: string | undefined, xffDepth: number) {
	return (req: IncomingMessage): string => {
		if (!header) return req.socket.remoteAddress ?? 'unknown';
		const value = req.headers[header];
		if (typeof value !== 'string' || value === '') throw new Error(`missing ${header}`);
		if (header !== 'x-forwarded-for') return value.trim();
		const addresses = value.split(',');
		if (xffDepth > addresses.length) throw new Error(`${header} holds fewer than ${xffDepth} addresses`);
		return addresses[addresses.length - xffDepth].trim();
	};
}
