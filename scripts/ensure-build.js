/**
 * Builds the app (`vite build`) only when `build/index.js` is missing or older than the newest source:
 * src/, messages/, drizzle/, vendor/ and the configuration files. Used by `npm start` and the test
 * scripts that run the built server; plain Node, since it runs before anything is built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT = join(ROOT, 'build', 'index.js');
const SOURCE_DIRS = ['src', 'messages', 'drizzle', 'vendor', 'static'];
const CONFIG_FILES = ['package.json', 'package-lock.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'project.inlang/settings.json'];
/** Written by the build from the sources, so never a reason to build again. */
const GENERATED = new Set([join(ROOT, 'src', 'lib', 'paraglide')]);

function newest(path) {
	if (GENERATED.has(path) || !existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let latest = stat.mtimeMs;
	for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
	return latest;
}

const sources = Math.max(...SOURCE_DIRS.map((d) => newest(join(ROOT, d))), ...CONFIG_FILES.map((f) => newest(join(ROOT, f))));
const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
if (built >= sources) {
	console.log('build/ is up to date');
} else {
	console.log(built ? 'sources changed since the last build: building' : 'no build yet: building');
	const started = new Date();
	const { status } = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (status !== 0) process.exit(status ?? 1);
	// The build is as new as the sources it read: a file saved while it ran makes the next start build again.
	utimesSync(BUILT, started, started);
}
