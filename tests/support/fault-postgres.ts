import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PostgreSQL cluster of its own, on loopback, for the fault suite. */
export interface ThrowawayPostgres {
	port: number;
	/** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication). */
	url: string;
	/**
	 * `pg_ctl stop -m immediate`, the first half of `restart -m immediate`: every backend is killed
	 * without a checkpoint, and the next start runs crash recovery.
	 */
	crash(): Promise<void>;
	/** Starts it again on the same port with the same options. */
	start(): Promise<void>;
	/** Stops the cluster and removes its directory; safe to call twice. */
	dispose(): Promise<void>;
}

/** The newest PostgreSQL installed the Debian way (/usr/lib/postgresql/<version>/bin). */
function binDir(): string {
	const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v));
	if (versions.length === 0) throw new Error('no PostgreSQL under /usr/lib/postgresql');
	const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
	return `/usr/lib/postgresql/${newest}/bin`;
}

/**
 * initdb into a temp directory and `pg_ctl start` on `port`, with its socket in that directory (so it
 * never meets the machine's own cluster). PostgreSQL refuses to run as root: under root (as in CI) the
 * directory is given to the `postgres` user and every command runs as that user. fsync is off: the
 * faults kill processes, not the machine, so committed data stays in the page cache either way.
 */
export async function startPostgres(port: number): Promise<ThrowawayPostgres> {
	const bin = binDir();
	const dir = mkdtempSync(join(tmpdir(), 'pingli-faults-pg-'));
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		chownSync(dir, uid, gid);
	}
	const command = (tool: string, args: string[]): [string, string[]] =>
		asRoot ? ['runuser', ['-u', 'postgres', '--', `${bin}/${tool}`, ...args]] : [`${bin}/${tool}`, args];
	const data = join(dir, 'data');
	const log = join(dir, 'postgres.log');
	const pgCtl = (...args: string[]) => run(...command('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', ...args]));
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100`;

	let stopped = false;
	// A worker that dies before `dispose` must not leave a postmaster behind.
	const onExit = () => {
		if (stopped) return;
		try {
			execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
		} catch {
			/* not running */
		}
		rmSync(dir, { recursive: true, force: true });
	};
	process.once('exit', onExit);

	try {
		await run(...command('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']));
		await pgCtl('-o', options, 'start');
	} catch (err) {
		onExit();
		process.off('exit', onExit);
		throw err;
	}

	return {
		port,
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async crash() {
			await pgCtl('-m', 'immediate', 'stop');
		},
		async start() {
			await pgCtl('-o', options, 'start');
		},
		async dispose() {
			if (stopped) return;
			stopped = true;
			process.off('exit', onExit);
			try {
				await pgCtl('-m', 'immediate', 'stop');
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
