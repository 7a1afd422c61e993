/**
 * `npm run retention -- --dry-run`: reports what the county's retention policies would mask now.
 * `npm run retention`: masks it (audited). `npm run retention -- --set closed_case_parties=5`: sets a
 * policy (audited). See src/lib/server/privacy/retention.ts. Exits non-zero on any failure.
 */
import { parseArgs } from 'node:util';
import { readRunningMarker } from '../src/lib/server/db/running-marker';
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { env } from '../src/lib/server/env';
import { applyRetention, planRetention, RETENTION_TYPES, setRetentionPolicy, type RetentionItem } from '../src/lib/server/privacy/retention';

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false }, set: { type: 'string', multiple: true } } });
const line = (i: RetentionItem) => `${i.recordType}: ${i.years} years (closed before ${i.cutoff.toISOString().slice(0, 10)}): ${i.parties} parties in ${i.cases} matters`;

// An embedded database belongs to the running app alone (db/running-marker.ts): stop it first.
const running = !env.DATABASE_URL ? readRunningMarker(env.dataDir) : null;
if (running) {
	console.error(`retention: the app (pid ${running.pid}) is running on ${env.dataDir}; stop it, run this, start it again`);
	process.exit(1);
}

try {
	const { db } = await getDatabase();
	for (const setting of values.set ?? []) {
		const [type, years] = setting.split('=');
		await setRetentionPolicy(db, type, Number(years), null);
		console.log(`policy set: ${type} = ${years} years`);
	}
	if (!values.set?.length) {
		const items = values['dry-run'] ? await planRetention(db) : await applyRetention(db);
		if (items.length === 0) console.log(`no retention policy is set (types: ${RETENTION_TYPES.join(', ')}); nothing to do`);
		for (const item of items) console.log(`${values['dry-run'] ? 'would mask' : 'masked'} ${line(item)}`);
	}
	await closeDatabase();
} catch (err) {
	console.error(`retention failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
}
