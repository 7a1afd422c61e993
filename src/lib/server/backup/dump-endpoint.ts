import { env } from '../env';
import { getDatabase } from '../db';
import { logger } from '../logger';
import { readRunningMarker, tokenMatches } from '../db/running-marker';

/**
 * `POST /internal/backup` (see running-marker.ts for why it exists): the embedded database as PGlite's
 * gzipped dump of the data directory — which also holds the stored attachments, so database and
 * files are of the same instant. Only with the token of this process's marker file; anything else
 * is a 404, as if there were no such route (also on PostgreSQL, which `pg_dump` backs up directly).
 */
export async function backupDumpResponse(authorization: string | null): Promise<Response> {
	const database = await getDatabase();
	const marker = database.kind === 'pglite' ? readRunningMarker(env.dataDir) : null;
	const presented = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : null;
	if (!marker || marker.pid !== process.pid || !database.dump || !tokenMatches(presented, marker.token)) {
		return new Response('Not Found', { status: 404 });
	}
	const started = Date.now();
	const dump = await database.dump('gzip');
	logger.info({ bytes: dump.size, ms: Date.now() - started }, 'backup: database dump handed out');
	return new Response(dump, { headers: { 'content-type': 'application/gzip', 'cache-control': 'no-store' } });
}
