/**
 * `npm run backup -- --out DIR [--url http://127.0.0.1:PORT]`: one consistent backup folder of the
 * database and stored files, with a SHA-256 manifest (src/lib/server/backup/create-backup.ts). Reads
 * the same environment as the app (DATABASE_URL or DATA_DIR, PORT). Exits non-zero on any failure.
 */
import { parseArgs } from 'node:util';
import { createBackup } from '../src/lib/server/backup/create-backup';

const { values } = parseArgs({ options: { out: { type: 'string' }, url: { type: 'string' } } });
if (!values.out) {
	console.error('usage: npm run backup -- --out DIR [--url http://127.0.0.1:PORT]');
	process.exit(2);
}
try {
	const { folder, manifest } = await createBackup({ outDir: values.out, appUrl: values.url });
	const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
	console.log(`backup written: ${folder} (${manifest.database}, ${manifest.files.length} files, ${bytes} bytes, migration ${manifest.lastMigration})`);
} catch (err) {
	console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
}
