import { execFile, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../..');
/** The built production entry (`npm run build` makes it; `node scripts/ensure-build.js` when stale). */
const ENTRY = 'build/index.js';

/** Variables the entry reads; a test sets each one it needs and none is inherited from the caller's shell. */
const APP_VARIABLES = [
	'NODE_ENV', 'DATABASE_URL', 'DATABASE_READ_URL', 'DATA_DIR', 'HOST', 'PORT', 'ORIGIN', 'PROTOCOL_HEADER', 'ADDRESS_HEADER', 'XFF_DEPTH',
	'SEED_DEMO', 'COOKIE_SECURE', 'LOG_LEVEL', 'MIGRATIONS_DIR', 'REDIS_URL', 'SMS_OUTBOX', 'ALIYUN_SMS_ACCESS_KEY_ID',
	'ALIYUN_SMS_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME', 'ALIYUN_SMS_TEMPLATE_CODE', 'ALIYUN_SMS_LINK_TEMPLATE_CODE', 'ALIYUN_SMS_NOTICE_TEMPLATE_CODE', 'ALIYUN_SMS_ENDPOINT',
	'SEALING_KEY', 'TSA_URL'
];

/** One line of the entry's JSON log (pino). */
export interface LogLine {
	msg?: string;
	port?: number;
	[key: string]: unknown;
}

export interface AppProcess {
	/** Resolves with the base URL (http://127.0.0.1:PORT) once the entry logs that it listens. */
	ready: Promise<string>;
	/** Resolves when the process has exited, with its exit code (null when a signal ended it). */
	exited: Promise<number | null>;
	/** The log lines so far. */
	logs: LogLine[];
	/** Sends a signal (default SIGTERM) and resolves with the exit code. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the production entry (`build/index.js`, what `npm start` runs) with exactly
 * `env` on top of the caller's non-Pingli environment. Readiness and shutdown are events: the
 * "Pingli listening on" log line and the process exit. `logFile` also gets every raw output line.
 * `entry` runs another script that starts the same way (e.g. tests/support/collab-entry.ts); a `.ts`
 * one runs with `node --import tsx`, one process, rather than the `tsx` command: that command relays
 * SIGTERM to its child and SIGKILLs the child when it does not acknowledge within about 60 ms, which a
 * loaded machine misses, so a clean shutdown would be reported as exit 143 (and PGlite would not be closed).
 */
export function spawnApp(env: Record<string, string>, options: { logFile?: string; entry?: string } = {}): AppProcess {
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_VARIABLES.includes(key)));
	const entry = options.entry ?? ENTRY;
	const child = spawn(process.execPath, [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry], {
		cwd: ROOT,
		env: { ...inherited, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const logs: LogLine[] = [];
	const output: string[] = [];
	const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

	const ready = new Promise<string>((resolveReady, rejectReady) => {
		const onLine = (line: string) => {
			output.push(line);
			if (options.logFile) appendFileSync(options.logFile, `${line}\n`);
			const entry = parseLogLine(line);
			if (!entry) return;
			logs.push(entry);
			if (entry.msg?.startsWith('Pingli listening on') && typeof entry.port === 'number') {
				resolveReady(`http://127.0.0.1:${entry.port}`);
			}
		};
		createInterface({ input: child.stdout }).on('line', onLine);
		createInterface({ input: child.stderr }).on('line', onLine);
		void exited.then((code) => rejectReady(new Error(`the app exited (code ${code}) before listening:\n${output.slice(-40).join('\n')}`)));
	});
	// A caller that only awaits `exited` must not see an unhandled rejection from `ready`.
	ready.catch(() => {});

	return {
		ready,
		exited,
		logs,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited;
		}
	};
}

function parseLogLine(line: string): LogLine | null {
	if (!line.startsWith('{')) return null;
	try {
		return JSON.parse(line) as LogLine;
	} catch {
		// Not every line is JSON (a stack trace, a warning from Node); those only go to `output`.
		return null;
	}
}

/**
 * Runs one of the app's scripts (`scripts/backup.ts`, `scripts/restore.ts`, `scripts/audit-verify.ts`,
 * …) as `npm run <script>` would, with exactly `env` on top of the caller's non-Pingli environment, as
 * `spawnApp` does. Resolves with its exit code and output whatever the code.
 */
export function runAppScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !APP_VARIABLES.includes(key)));
	return new Promise((done) => {
		execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...inherited, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
			const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
			done({ code, output: `${stdout}${stderr}` });
		});
	});
}
