import type { RequestHandler } from './$types';
import { backupDumpResponse } from '$lib/server/backup/dump-endpoint';

/** For `npm run backup` on this machine only; guarded by the running app's token (db/running-marker.ts). */
export const POST: RequestHandler = ({ request }) => backupDumpResponse(request.headers.get('authorization'));
