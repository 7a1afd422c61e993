/**
 * A streaming standby of the test PostgreSQL server (issue 21 §3), made the way README "A primary with
 * a standby" says: `pg_basebackup -R` from the primary into a new data directory, then Debian's own
 * `postgres` binary of the primary's major version on a loopback port. Used by
 * tests/integration/read-replica.test.ts; `.ci/run` adds the same pg_hba.conf line to the CI server.
 *
 * The primary must accept replication connections from 127.0.0.1: `allowReplication` adds the
 * pg_hba.conf line (and reloads) when it is missing, once; it needs to write that file, so it runs as
 * root (CI) or as the postgres user. wal_level must be `replica` (PostgreSQL's default) or `logical`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './free-port';

export interface Standby {
	port: number;
	/** `url` with its host and port moved to the standby (same user, same database name). */
	urlFor(primaryUrl: string): string;
	/** Resolves once the standby has replayed everything the primary had written when it was called. */
	caughtUp(): Promise<void>;
	/** Stops replaying WAL (reads see the moment of the pause), and resumes it. */
	pauseReplay(): Promise<void>;
	resumeReplay(): Promise<void>;
	stop(): Promise<void>;
}

/** Who runs the standby's files and process: the postgres user when we are root, else ourselves. */
function owner(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) };
}

/** Adds `host replication all 127.0.0.1/32 trust` to the primary's pg_hba.conf when no rule allows it yet. */
export async function allowReplication(primaryUrl: string): Promise<void> {
	const sql = postgres(primaryUrl, { max: 1, onnotice: () => {} });
	try {
		const [{ wal_level: walLevel }] = await sql<{ wal_level: string }[]>`select current_setting('wal_level') as wal_level`;
		if (walLevel === 'minimal') throw new Error('the primary runs with wal_level=minimal: ALTER SYSTEM SET wal_level = replica, then restart it');
		const allowed = await sql`select 1 from pg_hba_file_rules where 'replication' = any(database) and (address is null or address = '127.0.0.1' or address = 'all') and type in ('host', 'hostnossl') and error is null`;
		if (allowed.length > 0) return;
		const [{ hba }] = await sql<{ hba: string }[]>`select current_setting('hba_file') as hba`;
		appendFileSync(hba, '\n# Streaming standbys on this machine (Pingli: tests/support/pg-standby.ts)\nhost replication all 127.0.0.1/32 trust\n');
		await sql`select pg_reload_conf()`;
	} finally {
		await sql.end();
	}
}

export async function startStandby(primaryUrl: string): Promise<Standby> {
	await allowReplication(primaryUrl);
	const primary = new URL(primaryUrl);
	const admin = postgres(primaryUrl, { max: 1, onnotice: () => {} });
	const [{ major }] = await admin<{ major: string }[]>`select (current_setting('server_version_num')::int / 10000)::text as major`;
	const bin = `/usr/lib/postgresql/${major}/bin`;
	// A hot standby must allow at least what its primary does, or it stops recovery at once.
	const limits = await admin<{ name: string; setting: string }[]>`
		select name, setting from pg_settings
		where name in ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`;
	const user = owner();
	const dir = mkdtempSync(join(tmpdir(), 'pingli-standby-'));
	if (user) chownSync(dir, user.uid, user.gid);
	const data = join(dir, 'data');
	execFileSync(
		join(bin, 'pg_basebackup'),
		['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username || 'postgres'), '-D', data, '-R', '-X', 'stream', '-c', 'fast'],
		{ stdio: 'pipe', ...user }
	);
	// Debian keeps a cluster's configuration under /etc, so the copy has none: a minimal one of its own.
	const port = await freePort();
	const files: [string, string][] = [
		['postgresql.conf', `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nhot_standby = on\nshared_buffers = 32MB\n${limits.map((l) => `${l.name} = ${l.setting}\n`).join('')}`],
		['pg_hba.conf', 'local all all trust\nhost all all 127.0.0.1/32 trust\n']
	];
	for (const [name, text] of files) {
		writeFileSync(join(data, name), text);
		if (user) chownSync(join(data, name), user.uid, user.gid);
	}
	const child = spawn(join(bin, 'postgres'), ['-D', data], { stdio: ['ignore', 'ignore', 'pipe'], ...user });
	const log: string[] = [];
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	let running = true;
	void exited.then(() => (running = false));
	const onExit = () => child.kill('SIGKILL');
	process.once('exit', onExit);

	const standbyUrl = (url: string) => {
		const moved = new URL(url);
		moved.hostname = '127.0.0.1';
		moved.port = String(port);
		return moved.toString();
	};
	const standby = postgres(standbyUrl(primaryUrl), { max: 1, onnotice: () => {}, connect_timeout: 5 });
	// Ready: it answers, and is in recovery (a standby, not a copy that promoted itself).
	for (let attempt = 0; ; attempt++) {
		if (!running) throw new Error(`the standby exited at start:\n${log.join('')}`);
		const inRecovery = await standby`select pg_is_in_recovery() as r`.then(([row]) => row.r as boolean).catch(() => null);
		if (inRecovery === true) break;
		if (inRecovery === false) throw new Error('the copy started as a primary: pg_basebackup -R wrote no standby.signal');
		if (attempt > 300) throw new Error(`the standby did not start:\n${log.join('')}`);
		await new Promise((done) => setTimeout(done, 100));
	}

	return {
		port,
		urlFor: standbyUrl,
		async caughtUp() {
			const [{ lsn }] = await admin<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
			for (let attempt = 0; ; attempt++) {
				const [{ done }] = await standby<{ done: boolean }[]>`select coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) as done`;
				if (done) return;
				if (attempt > 300) throw new Error(`the standby has not replayed up to ${lsn} after 30 s`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		async pauseReplay() {
			await standby`select pg_wal_replay_pause()`;
		},
		async resumeReplay() {
			await standby`select pg_wal_replay_resume()`;
		},
		async stop() {
			await standby.end();
			await admin.end();
			// SIGINT: PostgreSQL's fast shutdown.
			if (running) child.kill('SIGINT');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
			process.off('exit', onExit);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
