import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * In development the collaboration server rides on Vite's own HTTP server, loaded through Vite's
 * SSR module graph so it shares modules (and the database) with SvelteKit. It answers only
 * `/collab/...` upgrades and leaves Vite's HMR socket alone.
 */
const collabDev = (): Plugin => ({
	name: 'pingli-collab-dev',
	apply: 'serve',
	configureServer(server) {
		const httpServer = server.httpServer as Server | null;
		if (!httpServer) return;
		void server
			.ssrLoadModule('/src/lib/server/start-collab.ts')
			.then((mod) => mod.startCollab(httpServer))
			.catch((err) => server.config.logger.error(`collaboration server failed to start: ${err}`));
		void server
			.ssrLoadModule('/src/lib/server/start-calls.ts')
			.then((mod) => mod.startCalls(httpServer))
			.catch((err) => server.config.logger.error(`call signalling failed to start: ${err}`));
	}
});

const I18N = resolve('src/lib/i18n.ts');
const reachesCache = new Map<string, boolean>();

/**
 * Whether a module of ours imports `t()` from $lib/i18n, directly or through its static imports (read
 * from its import lines). `t()` looks a message key up among all messages, so it brings every message
 * of the app (about 65 KB compressed), and the bundler puts a chunk's modules' dependencies into that
 * chunk: were `t()` in the shared chunk, which the layouts load, every page would load every message.
 */
function reachesT(file: string, visiting = new Set<string>()): boolean {
	if (file === I18N) return true;
	const known = reachesCache.get(file);
	if (known !== undefined) return known;
	if (visiting.has(file)) return false;
	visiting.add(file);
	let source: string;
	try {
		source = readFileSync(file, 'utf8');
	} catch {
		return false;
	}
	let found = false;
	for (const [, spec] of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
		const base = spec.startsWith('$lib/') ? resolve('src/lib', spec.slice(5)) : spec.startsWith('.') ? resolve(dirname(file), spec) : null;
		const target = base && ['', '.ts', '.js', '.svelte', '/index.ts'].map((ext) => base + ext).find((f) => existsSync(f) && statSync(f).isFile());
		if (target && reachesT(target, visiting)) {
			found = true;
			break;
		}
	}
	visiting.delete(file);
	reachesCache.set(file, found);
	return found;
}

/** The message a compiled message module holds, e.g. `record_title` for …/paraglide/messages/record_title.js. */
const messageName = (id: string): string | null => /[\\/]src[\\/]lib[\\/]paraglide[\\/]messages[\\/](\w+)\.js$/.exec(id)?.[1] ?? null;

let light: Set<string> | undefined;

/**
 * The messages that browser code which does not reach `t()` names (`m.name`): the layouts', the live
 * record's and the like. They go into a chunk of their own first; `t()`'s chunk takes the rest.
 */
function lightMessages(): Set<string> {
	if (light) return light;
	const names = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = join(dir, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'server' && entry.name !== 'paraglide') walk(full);
			} else if (/\.(svelte|ts|js)$/.test(entry.name) && !/\.server\.|\.test\./.test(entry.name) && !reachesT(full)) {
				for (const [, name] of readFileSync(full, 'utf8').matchAll(/\bm\.(\w+)/g)) names.add(name);
			}
		}
	};
	walk(resolve('src'));
	light = names;
	return light;
}

/** The app's own small shared modules: $lib/*.ts, utils, the top-level components. */
const SHARED = /[\\/]src[\\/]lib[\\/]([^\\/]+\.ts|utils[\\/][^\\/]+\.ts|components[\\/][^\\/]+\.svelte)$/;

/**
 * Fewer, larger chunks in the browser build. Left alone, the bundler cuts the Svelte and SvelteKit
 * runtime into a chunk per combination of pages that share a piece: 15–25 files of under 1.5 KB each,
 * which put most pages over the 35-request budget (tests/e2e/budgets.ts) and cost a round trip each on
 * a township link. The runtime goes into one chunk, and so do the app's small modules that several
 * pages share; the few KB a page does not use are cheaper than the requests. Except `t()` and what
 * reaches it (see reachesT): those go into a chunk of their own with the messages only `t()` needs,
 * loaded by the pages with a form, so the layouts and the live record (which gets its refusals worded by
 * the server) do not carry every message (issue 19: the live record weighed 254 KB, now about 196 KB).
 * The server build is left as SvelteKit makes it.
 */
const fewerChunks = (): Plugin => ({
	name: 'pingli-fewer-chunks',
	config: (_config, env) =>
		env.isSsrBuild
			? {}
			: {
					build: {
						rollupOptions: {
							output: {
								codeSplitting: {
									groups: [
										{ name: 'runtime', test: /[\\/]node_modules[\\/](svelte|@sveltejs[\\/]kit|esm-env|devalue|clsx)[\\/]/, priority: 4 },
										// Higher priority first. Each group one chunk, not one per combination of pages; not the
										// folders that bring a library of their own along (collab, calls).
										{ name: 'messages', test: (id) => lightMessages().has(messageName(id) ?? ''), priority: 3 },
										{
											name: 'shared',
											test: (id) => SHARED.test(id) && !reachesT(id),
											minShareCount: 2,
											priority: 2
										},
										{ name: 'forms', test: (id) => SHARED.test(id) && reachesT(id), minShareCount: 2, priority: 1 }
									]
								}
							}
						}
					}
				}
});

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Chinese is the default whatever the browser says; an explicit choice is kept in a cookie.
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit(),
		collabDev(),
		fewerChunks()
	]
});
