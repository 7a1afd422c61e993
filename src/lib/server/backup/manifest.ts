import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'pingli-backup/1';

/** What a backup folder holds, written last: a folder without it is not a (complete) backup. */
export interface Manifest {
	format: typeof FORMAT;
	createdAt: string;
	database: 'pglite' | 'postgres';
	/** The last migration applied to the backed-up database: a restore refuses a backup newer than its code. */
	lastMigration: string | null;
	/** Every file of the backup but the manifest, with its size and SHA-256 (hex). */
	files: { path: string; bytes: number; sha256: string }[];
}

export async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** Every regular file under `root`, as forward-slash paths relative to it, sorted. */
export async function listFiles(root: string): Promise<string[]> {
	const entries = await readdir(root, { recursive: true, withFileTypes: true });
	return entries
		.filter((e) => e.isFile())
		.map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
		.sort();
}

export async function writeManifest(folder: string, meta: Omit<Manifest, 'format' | 'files'>): Promise<Manifest> {
	const files = [];
	for (const path of await listFiles(folder)) {
		if (path === MANIFEST_FILE) continue;
		const full = join(folder, path);
		files.push({ path, bytes: (await stat(full)).size, sha256: await sha256File(full) });
	}
	const manifest: Manifest = { format: FORMAT, ...meta, files };
	await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
	return manifest;
}

/**
 * Reads the manifest and checks every file against it: present, same size, same SHA-256, and nothing
 * in the folder that it does not list. Throws naming the first difference.
 */
export async function verifyBackup(folder: string): Promise<Manifest> {
	let manifest: Manifest;
	try {
		manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as Manifest;
	} catch {
		throw new Error(`${folder} has no readable ${MANIFEST_FILE}: not a complete backup`);
	}
	if (manifest.format !== FORMAT) throw new Error(`unknown backup format ${String(manifest.format)}`);
	const listed = new Set(manifest.files.map((f) => f.path));
	for (const path of await listFiles(folder)) {
		if (path !== MANIFEST_FILE && !listed.has(path)) throw new Error(`${path} is in the backup but not in its manifest`);
	}
	for (const file of manifest.files) {
		if (file.path.split('/').includes('..')) throw new Error(`manifest path ${file.path} leaves the backup`);
		const full = join(folder, file.path);
		const size = await stat(full).then((s) => s.size, () => null);
		if (size === null) throw new Error(`${file.path} is missing from the backup`);
		if (size !== file.bytes || (await sha256File(full)) !== file.sha256) throw new Error(`${file.path} does not match its checksum`);
	}
	return manifest;
}
