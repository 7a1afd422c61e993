import { error } from '@sveltejs/kit';
import { timingSafeEqual } from 'node:crypto';
import { clientAddress } from '$lib/server/auth/client-address';
import { env } from '$lib/server/env';
import { appMetrics } from '$lib/server/health/metrics';
import type { RequestHandler } from './$types';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus metrics. With METRICS_TOKEN set, only a scraper presenting it as a bearer token is served;
 * unset, only requests from this machine are (a scraper on the host or a sidecar). They carry no
 * personal data, but they are not for the public either.
 */
export const GET: RequestHandler = async (event) => {
	const token = env.METRICS_TOKEN;
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
	const allowed = token ? bearer !== undefined && sameToken(bearer, token) : LOOPBACK.has(clientAddress(event));
	if (!allowed) error(403, 'forbidden');
	const { registry } = appMetrics();
	return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
};
