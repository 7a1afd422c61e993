/**
 * Playwright's webServer command: `node --import tsx tests/support/e2e-server.ts <pglite|postgres> <port>`.
 * Makes a fresh database, runs the production entry on it, and removes the database once the entry
 * has stopped. The database is made here rather than in a Playwright globalSetup because Playwright
 * starts its webServers before globalSetup runs.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAppDatabase, type DatabaseKind } from './app-database';
import { randomBytes } from 'node:crypto';
import { spawnApp } from './app-process';
import { startTestTsa } from './timestamp-authority';
import { e2eTurn } from './turn-server';

const [kind, port] = process.argv.slice(2) as [DatabaseKind, string];
if ((kind !== 'pglite' && kind !== 'postgres') || !/^\d+$/.test(port ?? '')) {
	throw new Error('usage: e2e-server.ts <pglite|postgres> <port>');
}

// The server's own log, kept with the other artifacts of the run (Playwright empties test-results first).
const logDir = resolve(import.meta.dirname, '../../test-results');
mkdirSync(logDir, { recursive: true });
const logFile = resolve(logDir, `server-${kind}.log`);

const database = await createAppDatabase(kind, { label: 'e2e', adminUrl: process.env.E2E_DATABASE_URL });
// The e2e walks read one-time codes from the development outbox (/admin/outbox), as a demo would.
// Copies are sealed with the demo certificate (under a sealing key of this run) and time-stamped by a
// timestamp authority on loopback, as a county's installation with both configured would.
const tsa = await startTestTsa();
// Calls hand out TURN credentials for a coturn the relayed-call test starts on this port (tests/e2e/call.spec.ts).
const turn = e2eTurn(Number(port));
const app = spawnApp(
	{ ...database.env, PORT: port, SMS_OUTBOX: '1', SEALING_KEY: randomBytes(32).toString('base64'), TSA_URL: tsa.url, TURN_URLS: turn.url, TURN_SECRET: turn.secret },
	{ logFile }
);
// Playwright signals the whole process group on shutdown; relaying as well covers a signal sent to this
// process alone. The entry stops once however many signals it gets.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void app.stop(signal));

const code = await app.exited;
await tsa.close();
await database.dispose();
if (code !== 0) process.stderr.write(`the ${kind} server exited with code ${code}; its log:\n${readFileSync(logFile, 'utf8').slice(-8000)}`);
process.exit(code ?? 1);
