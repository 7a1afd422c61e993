import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import * as Y from 'yjs';
import { createSession } from '../../src/lib/server/auth/session';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { openDatabase, type Database, type Db } from '../../src/lib/server/db/client';
import { mediationSessions, panelMembers, users } from '../../src/lib/server/db/schema';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { spawnApp, type AppProcess } from './app-process';
import { freePort } from './free-port';
import { notifyAll } from './collab-harness';
import { startPostgres, type ThrowawayPostgres } from './fault-postgres';
import { startRedis, type ThrowawayRedis } from './fault-redis';

/** The built production entry: the fault suite runs what production runs (`npm run test:faults` builds when stale). */
const ENTRY = 'build/index.js';

/** One collaboration server process on a fixed port, so its clients find it again after a restart. */
export interface Instance {
	readonly name: string;
	readonly port: number;
	readonly origin: string;
	/** Starts the process; resolves once it listens. */
	start(): Promise<void>;
	/** Sends `signal` and resolves with the exit code (null when the signal ended it). */
	stop(signal: NodeJS.Signals): Promise<number | null>;
	/** How many log lines with this message its processes wrote so far (e.g. `store_failed`). */
	logged(msg: string): number;
}

export interface FaultCluster {
	postgres: ThrowawayPostgres;
	redis: ThrowawayRedis;
	a: Instance;
	b: Instance;
	/** Session tokens of two demo people who may both edit the records in `docNames`. */
	tokens: string[];
	/** `documents` records (`record:<sessionId>`) both people may edit: one per fault, so one fault's damage stays its own. */
	docNames: string[];
	/** A document as stored in PostgreSQL, read in one snapshot (what a server loading it now would get). */
	storedDoc(docName: string): Promise<Y.Doc>;
	/** Stops everything and removes the temp directories, whatever state the faults left. */
	dispose(): Promise<void>;
}

/**
 * Two instances of the built production server (build/index.js) sharing one
 * throwaway PostgreSQL and one throwaway Redis, as behind a load balancer. Instance A migrates and
 * loads the demo county; B starts after it with SEED_DEMO=never, so they never race on seeding.
 * `FAULTS_KEEP_LOGS=1` keeps the instances' logs (the path is printed).
 */
export async function startCluster(options: { documents: number }): Promise<FaultCluster> {
	const logDir = mkdtempSync(join(tmpdir(), 'pingli-faults-logs-'));
	const [pgPort, redisPort, aPort, bPort] = await distinctFreePorts(4);
	const cleanups: (() => Promise<unknown>)[] = [];
	const cleanUp = async () => {
		const errors: unknown[] = [];
		for (const step of cleanups.reverse()) await step().catch((err) => errors.push(err));
		cleanups.length = 0;
		if (process.env.FAULTS_KEEP_LOGS) console.log(`fault suite logs: ${logDir}`);
		else rmSync(logDir, { recursive: true, force: true });
		if (errors.length > 0) throw new AggregateError(errors, 'cleaning up the fault cluster failed');
	};
	try {
		const postgres = await startPostgres(pgPort);
		cleanups.push(() => postgres.dispose());
		const redis = await startRedis(redisPort);
		cleanups.push(() => redis.dispose());
		// The reconnect storm's 200 clients stand in for 200 people but sign in as two, from 127.0.0.1:
		// the socket caps are lifted for that, every message budget stays as in production.
		const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, LOG_LEVEL: 'info', COLLAB_MAX_SOCKETS_PER_USER: '1000', COLLAB_MAX_SOCKETS_PER_ADDRESS: '1000' };
		const a = instance('A', aPort, { ...env, SEED_DEMO: 'always' }, join(logDir, 'a.log'));
		const b = instance('B', bPort, { ...env, SEED_DEMO: 'never' }, join(logDir, 'b.log'));
		cleanups.push(() => a.stop('SIGKILL'), () => b.stop('SIGKILL'));
		// A worker that dies before `dispose` must not leave the instances running (`stop` signals at once).
		const killInstances = () => void Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
		process.once('exit', killInstances);
		cleanups.push(async () => process.off('exit', killInstances));
		await a.start();
		await b.start();

		// The suite's own connection: sign-in sessions, and reading what is stored.
		const own = await openDatabase({ url: postgres.url, dataDir: '' });
		cleanups.push(() => own.close());
		const { tokens, docNames } = await editableRecords(own, options.documents);

		return {
			postgres,
			redis,
			a,
			b,
			tokens,
			docNames,
			storedDoc: (docName) => readStored(own, docName),
			dispose: cleanUp
		};
	} catch (err) {
		await cleanUp().catch(() => {});
		throw err;
	}
}

function instance(name: string, port: number, env: Record<string, string>, logFile: string): Instance {
	let app: AppProcess | null = null;
	const runs: AppProcess[] = [];
	return {
		name,
		port,
		origin: `http://127.0.0.1:${port}`,
		async start() {
			if (app) throw new Error(`instance ${name} is already running`);
			const started = spawnApp({ ...env, PORT: String(port) }, { entry: ENTRY, logFile });
			app = started;
			runs.push(started);
			void started.exited.then(() => {
				if (app === started) app = null;
				setImmediate(notifyAll);
			});
			await started.ready;
		},
		async stop(signal) {
			return app ? app.stop(signal) : null;
		},
		logged: (msg) => runs.reduce((n, run) => n + run.logs.filter((line) => line.msg === msg).length, 0)
	};
}

/**
 * The demo mediator and panelist, and one record per fault: the demo case's session and more
 * sessions of the same case, which both of them may edit (the mediator runs the case, the panelist
 * sits on its panel with no conflict; document-access.ts).
 */
async function editableRecords(own: Database, count: number): Promise<{ tokens: string[]; docNames: string[] }> {
	const people = await own.db
		.select({ id: users.id, username: users.username })
		.from(users)
		.where(inArray(users.username, ['mediator', 'panelist']));
	const mediator = people.find((p) => p.username === 'mediator');
	const panelist = people.find((p) => p.username === 'panelist');
	if (!mediator || !panelist) throw new Error('the demo mediator and panelist are missing');
	const [demo] = await own.db
		.select({ id: mediationSessions.id, caseId: mediationSessions.caseId, seq: mediationSessions.seq })
		.from(mediationSessions)
		.innerJoin(panelMembers, and(eq(panelMembers.caseId, mediationSessions.caseId), eq(panelMembers.userId, panelist.id)))
		.where(and(ne(mediationSessions.status, 'cancelled'), eq(panelMembers.conflict, 'no_conflict'), isNull(panelMembers.removedAt)))
		.orderBy(asc(mediationSessions.id))
		.limit(1);
	if (!demo) throw new Error('the demo has no session the panelist may edit');
	const more = await own.db
		.insert(mediationSessions)
		.values(
			Array.from({ length: count - 1 }, (_, i) => ({
				caseId: demo.caseId,
				seq: demo.seq + 1 + i,
				scheduledAt: new Date(Date.now() + (i + 2) * 86_400_000),
				remote: true,
				createdById: mediator.id
			}))
		)
		.returning({ id: mediationSessions.id });
	const tokens = [(await createSession(own.db, mediator.id)).token, (await createSession(own.db, panelist.id)).token];
	return { tokens, docNames: [demo.id, ...more.map((s) => s.id)].map(recordDocName) };
}

async function readStored(own: Database, docName: string): Promise<Y.Doc> {
	// One snapshot: a compaction committing between reading the state and the log must not be seen half.
	const stored = await own.db.transaction((tx) => postgresStore(tx as unknown as Db).load(docName), {
		isolationLevel: 'repeatable read',
		accessMode: 'read only'
	});
	const doc = new Y.Doc();
	if (stored.state) Y.applyUpdate(doc, stored.state);
	for (const update of stored.updates) Y.applyUpdate(doc, update);
	return doc;
}

async function distinctFreePorts(n: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < n) ports.add(await freePort());
	return [...ports];
}
