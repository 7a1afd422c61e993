/**
 * The layers of docs/architecture.md, checked on the imports of `src/` (read, not run: see
 * tests/support/import-graph.ts). A rule names the modules it applies to, the imports they may not
 * make, and why; add a row to RULES for a new one. The server's areas stand on the levels of
 * AREA_LEVELS, and none imports upwards. KNOWN_EXCEPTIONS lists what breaks a rule today
 * and is being fixed elsewhere: an exception that no longer occurs fails too, so the list only shrinks.
 */
import { describe, expect, it } from 'vitest';
import { cycles, importsOf, sourceFiles, type ImportEdge } from '../support/import-graph';

const inServer = (f: string) => f.startsWith('src/lib/server/');
const inRoutes = (f: string) => f.startsWith('src/routes/');
/**
 * Code that runs in the browser (or on both sides): `src/lib` outside `server/`, components and
 * universal load files of routes, the service worker. Route helpers (`src/routes/**` `.ts` files
 * without a `+`) are not counted: SvelteKit fences them only when named `*.server.ts`.
 */
const inBrowser = (f: string) =>
	(f.startsWith('src/lib/') && !inServer(f) && !f.endsWith('.server.ts')) ||
	(inRoutes(f) && (f.endsWith('.svelte') || /\/\+(page|layout)\.(ts|js)$/.test(f))) ||
	f === 'src/service-worker.ts' ||
	f === 'src/hooks.client.ts';

interface Rule {
	name: string;
	/** The importing modules the rule applies to. */
	from: (file: string) => boolean;
	/** What they may not import (ImportEdge.to: a repository path, `$app/…`, a package). */
	forbidden: (target: string) => boolean;
	/** Type-only imports are erased when compiled: allowed unless this is set. */
	typesToo?: boolean;
	why: string;
}

const RULES: Rule[] = [
	{
		name: 'browser code does not import server code',
		from: inBrowser,
		forbidden: inServer,
		why: 'database, secrets and sockets stay on the server; the browser may share its types only'
	},
	{
		name: 'server modules do not import routes',
		from: inServer,
		forbidden: inRoutes,
		typesToo: true,
		why: 'routes are adapters over the use cases, never the other way round'
	},
	{
		name: 'server modules do not import $app/* or $env/*',
		from: inServer,
		forbidden: (t) => t.startsWith('$app/') || t.startsWith('$env/'),
		why: 'the production entry and the collaboration server run these modules in plain Node, outside SvelteKit'
	}
];

/**
 * Import cycles among `src/lib/server/**` modules (run-time imports), each as its modules in sort
 * order. None may be added; each listed here is being removed by other work.
 */
// Cycles tolerated for now, each with the reason and who removes it. None today.
const KNOWN_CYCLES: string[][] = [];

/** Imports that break a rule today, as `rule: from -> to`, each being fixed elsewhere. */
const KNOWN_EXCEPTIONS: string[] = [];

/**
 * The server's areas (`src/lib/server/<area>/`, and each module at its root) bottom-up: an area
 * imports only areas on a lower level, never one on its own level or above, so nothing points back
 * up and areas form no circle (type-only imports count here too: a lower area that names a higher
 * one's types still knows it). A new area gets a row: the level above the highest it imports.
 * Moving an area up or down is a decision about the architecture: docs/architecture.md says why.
 */
const AREA_LEVELS: string[][] = [
	['env.ts', 'errors.ts'],
	['db/', 'diffs/', 'logger.ts', 'validation.ts'],
	['audit/'],
	['auth/', 'sms/'],
	['http/', 'places/'],
	['cases/', 'people/'],
	['backup/', 'collab/', 'coverage/', 'outcomes/', 'public/', 'roster/', 'supervision/'],
	['health/', 'notices/'],
	['mediation/'],
	['agreements/', 'opinions/'],
	['calls/', 'comments/', 'parties/', 'sealing/', 'start-collab.ts'],
	['documents/', 'reception/'],
	['assessment/', 'meetings/', 'privacy/', 'stats/'],
	['app-nav.ts', 'seed/', 'start-calls.ts', 'studios/'],
	['prepare.ts'],
	['serve.ts']
];

/** `cases/` for `src/lib/server/cases/work/get-case.ts`, `env.ts` for `src/lib/server/env.ts`. */
function areaOf(file: string): string | null {
	if (!inServer(file)) return null;
	const rest = file.slice('src/lib/server/'.length);
	const slash = rest.indexOf('/');
	return slash < 0 ? rest : rest.slice(0, slash + 1);
}

const levelOf = new Map(AREA_LEVELS.flatMap((areas, level) => areas.map((a) => [a, level] as const)));

const files = sourceFiles();
const edges = files.flatMap(importsOf);
const show = (e: ImportEdge) => `${e.from}:${e.line} -> ${e.specifier}`;

describe('layering of src/', () => {
	it('reads every module and resolves every import of the repository', () => {
		expect(files.length).toBeGreaterThan(100);
		expect(files).toContain('src/lib/server/collab/attach.ts');
		// An import the reader cannot place would slip past every rule. SvelteKit's generated `./$types`
		// and Paraglide's compiled messages are the only modules not in the tree read here.
		const code = (to: string) => /\.(ts|js|svelte)$/.test(to) || !/\.\w+$/.test(to);
		const unplaced = edges.filter(
			(e) => e.to.startsWith('src/') && code(e.to) && !files.includes(e.to) && !e.to.startsWith('src/lib/paraglide/') && !e.to.endsWith('/$types')
		);
		expect(unplaced.map(show)).toEqual([]);
	});

	for (const rule of RULES)
		it(rule.name, () => {
			const broken = edges
				.filter((e) => rule.from(e.from) && rule.forbidden(e.to) && (rule.typesToo || !e.typeOnly))
				.map((e) => `${rule.name}: ${e.from} -> ${e.to}`);
			const known = KNOWN_EXCEPTIONS.filter((x) => x.startsWith(`${rule.name}: `));
			expect(broken.filter((b) => !known.includes(b)), `${rule.why}\n(a type-only import is allowed: \`import type\`)`).toEqual([]);
			expect(known.filter((k) => !broken.includes(k)), 'no longer occurs: delete it from KNOWN_EXCEPTIONS').toEqual([]);
		});

	it('has no import cycle among server modules', () => {
		const found = cycles(edges, inServer);
		const key = (modules: string[]) => modules.join(' ');
		const allowed = new Set(KNOWN_CYCLES.map(key));
		const report = found
			.filter((c) => !allowed.has(key(c.modules)))
			.map((c) => `cycle of ${c.modules.length} modules:\n  ${c.paths.map((p) => p.join('\n    -> ')).join('\n  and\n  ')}`);
		expect(report, 'break each cycle (move what both sides need into a third module, or pass it in)').toEqual([]);
		const present = new Set(found.map((c) => key(c.modules)));
		expect(
			KNOWN_CYCLES.filter((c) => !present.has(key(c))),
			'no longer occurs: delete it from KNOWN_CYCLES'
		).toEqual([]);
	});

	it('has every server area on one level of AREA_LEVELS', () => {
		const areas = [...new Set(files.map(areaOf).filter((a) => a !== null))].sort();
		expect(areas.filter((a) => !levelOf.has(a)), 'add the new area to AREA_LEVELS').toEqual([]);
		expect([...levelOf.keys()].filter((a) => !areas.includes(a)), 'no longer exists: delete it from AREA_LEVELS').toEqual([]);
		expect(AREA_LEVELS.flat().length, 'an area stands on one level only').toBe(levelOf.size);
	});

	it('has no server area importing one on its own level or above', () => {
		const upward = edges
			.filter((e) => {
				const from = areaOf(e.from);
				const to = areaOf(e.to);
				return from !== null && to !== null && from !== to && (levelOf.get(from) ?? -1) <= (levelOf.get(to) ?? -1);
			})
			.map((e) => `${e.from}:${e.line} -> ${e.to} (${areaOf(e.from)} level ${levelOf.get(areaOf(e.from)!)}, ${areaOf(e.to)} level ${levelOf.get(areaOf(e.to)!)})`);
		expect(
			upward,
			'a lower area must not reach up: move what both need down, hand it in as a parameter, or wire it in a composition root (start-collab.ts, app-nav.ts)'
		).toEqual([]);
	});

	it('finds a cycle and reports its path (the checker itself)', () => {
		const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, specifier: to, typeOnly, line: 1 });
		const found = cycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd'), edge('d', 'c', true)], () => true);
		expect(found).toEqual([{ modules: ['a', 'b', 'c'], paths: [['a', 'b', 'c', 'a']] }]);
	});
});
