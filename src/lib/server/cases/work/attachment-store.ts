import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { env } from '../../env';
import type { CheckedFile } from './attachment-rules';

/** A file written to disk, not yet referenced by any row. */
export interface StoredFile extends CheckedFile {
	storageKey: string;
	sha256: string;
	sizeBytes: number;
}

const KEY = /^[0-9a-f]{40}$/;

/** Outside the web root: DATA_DIR/attachments, never anything the server serves by itself. */
export function attachmentsDir(): string {
	return join(env.dataDir, 'attachments');
}

/**
 * Where a stored file lives. Keys are random hex made here, never a user's file name; anything else
 * (a tampered row, a path with `..`) is refused rather than joined onto the directory.
 */
export function attachmentPath(storageKey: string): string {
	if (!KEY.test(storageKey)) throw new Error('invalid attachment storage key');
	return join(attachmentsDir(), storageKey);
}

async function writeOne(file: CheckedFile): Promise<StoredFile> {
	const storageKey = randomBytes(20).toString('hex');
	// 'wx': never overwrite; 0600: readable by the app's user only.
	const handle = await open(attachmentPath(storageKey), 'wx', 0o600);
	try {
		await handle.writeFile(file.data);
		await handle.sync();
	} catch (err) {
		await handle.close();
		await rm(attachmentPath(storageKey), { force: true });
		throw err;
	}
	await handle.close();
	return { ...file, storageKey, sha256: createHash('sha256').update(file.data).digest('hex'), sizeBytes: file.data.length };
}

/** Removes stored files; missing ones are fine (the goal is that they are gone). */
export async function removeStoredFiles(keys: readonly string[]): Promise<void> {
	await Promise.all(keys.map((key) => rm(attachmentPath(key), { force: true })));
}

/**
 * Writes the files to disk first, then runs `commit` (the database transaction that references them).
 * If any write or the commit fails, every file written is removed again: no row points at a missing
 * file and no file is left behind without a row.
 */
export async function storeThenCommit<T>(files: readonly CheckedFile[], commit: (stored: StoredFile[]) => Promise<T>): Promise<T> {
	if (files.length === 0) return commit([]);
	await mkdir(attachmentsDir(), { recursive: true, mode: 0o700 });
	const results = await Promise.allSettled(files.map(writeOne));
	const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
	const failed = results.find((r) => r.status === 'rejected');
	if (failed) {
		await removeStoredFiles(stored.map((s) => s.storageKey));
		throw failed.reason;
	}
	try {
		return await commit(stored);
	} catch (err) {
		await removeStoredFiles(stored.map((s) => s.storageKey));
		throw err;
	}
}
