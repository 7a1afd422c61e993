import type { RequestHandler } from './$types';

/** Liveness: the process answers HTTP. Nothing else is checked (a restart would not fix a database outage). */
export const GET: RequestHandler = () => new Response('ok\n', { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
