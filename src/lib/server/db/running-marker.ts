import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database cannot be read by a second process while the app runs: PGlite is PostgreSQL
 * compiled into this process, with no server another process could connect to, and opening its data
 * directory twice corrupts it. So a backup of a running app is taken by the app itself (PGlite's own
 * `dumpDataDir`, made between two statements, so it is one consistent instant) and handed to
 * `npm run backup` over `/internal/backup`. This file in DATA_DIR says that an app owns the directory
 * (its pid) and holds the one-off token that endpoint asks for. Only whoever may read DATA_DIR — who
 * could read the database files anyway — can read it; a new token is made at every start.
 */
export interface RunningMarker {
	pid: number;
	token: string;
}

export const MARKER_FILE = '.pingli-running.json';

export function writeRunningMarker(dataDir: string): RunningMarker {
	const marker = { pid: process.pid, token: randomBytes(32).toString('base64url') };
	writeFileSync(join(dataDir, MARKER_FILE), JSON.stringify(marker), { mode: 0o600 });
	return marker;
}

/** Removes the marker if this process wrote it (a script closing its own database must not remove the app's). */
export function removeRunningMarker(dataDir: string): void {
	if (readRunningMarker(dataDir)?.pid === process.pid) rmSync(join(dataDir, MARKER_FILE), { force: true });
}

/** The marker of a live app on `dataDir`, or null when none (or a stale one left by a killed process). */
export function readRunningMarker(dataDir: string): RunningMarker | null {
	let marker: RunningMarker;
	try {
		marker = JSON.parse(readFileSync(join(dataDir, MARKER_FILE), 'utf8')) as RunningMarker;
	} catch {
		return null;
	}
	try {
		process.kill(marker.pid, 0);
		return marker;
	} catch (err) {
		// EPERM: the process exists but belongs to another user, so it is alive.
		return (err as NodeJS.ErrnoException).code === 'EPERM' ? marker : null;
	}
}

/** Constant-time check of a presented token against this process's own. */
export function tokenMatches(presented: string | null, own: string | undefined): boolean {
	if (!presented || !own) return false;
	const a = Buffer.from(presented);
	const b = Buffer.from(own);
	return a.length === b.length && timingSafeEqual(a, b);
}
