import type { RequestEvent } from '@sveltejs/kit';

/**
 * The one place that decides a client's address. SvelteKit's adapter-node trusts a forwarding header
 * only when ADDRESS_HEADER (and XFF_DEPTH) are configured for the proxy in front; otherwise it is the
 * socket's peer. Never read X-Forwarded-For directly.
 */
export function clientAddress(event: RequestEvent): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
