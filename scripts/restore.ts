/**
 * `npm run restore -- <backup folder> [--force]`: checks the backup against its manifest and restores
 * it into the configured database (DATA_DIR, or DATABASE_URL) and DATA_DIR/attachments; refuses a
 * target that holds anything unless --force (src/lib/server/backup/restore-backup.ts).
 */
import { parseArgs } from 'node:util';
import { restoreBackup } from '../src/lib/server/backup/restore-backup';

const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
if (positionals.length !== 1) {
	console.error('usage: npm run restore -- <backup folder> [--force]');
	process.exit(2);
}
try {
	const report = await restoreBackup(positionals[0], { force: values.force });
	console.log(`restored ${report.database} backup (migration ${report.lastMigration}): ${report.cases} cases, ${report.attachments} attachments checked`);
} catch (err) {
	console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
}
