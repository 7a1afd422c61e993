/**
 * The import graph of `src/`, read with TypeScript's own parser (and Svelte's, for the scripts of
 * `.svelte` files): which module imports which, and whether an import stays at run time. Used by
 * tests/unit/layering.test.ts. Nothing is run or bundled; module names are resolved the way this
 * project writes them (relative paths, `$lib`, the `.js` spelling of a `.ts` file, folder `index`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'svelte/compiler';
import ts from 'typescript';

export interface ImportEdge {
	/** The importing module, relative to the repository (`src/lib/server/x.ts`). */
	from: string;
	/**
	 * What it names: a module of the repository (`src/…`), a SvelteKit virtual module (`$app/…`,
	 * `$env/…`), or a package (its specifier as written).
	 */
	to: string;
	/** The specifier as written. */
	specifier: string;
	/** `import type` / `export type`: erased when compiled, no run-time dependency. */
	typeOnly: boolean;
	line: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|js|svelte)$/;
/** Generated (Paraglide's compiled messages): imports only itself. */
const SKIPPED = ['src/lib/paraglide/'];

export const repoPath = (absolute: string) => relative(ROOT, absolute).split('\\').join('/');

/** Every source module under `dir` (repository-relative). */
export function sourceFiles(dir = 'src'): string[] {
	const out: string[] = [];
	const walk = (abs: string) => {
		for (const name of readdirSync(abs)) {
			const path = join(abs, name);
			const rel = repoPath(path);
			if (SKIPPED.some((s) => rel.startsWith(s))) continue;
			if (statSync(path).isDirectory()) walk(path);
			else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(rel);
		}
	};
	walk(join(ROOT, dir));
	return out.sort();
}

/** The TypeScript sources of a file: itself, or the `<script>` blocks of a component, with their starting line. */
function scripts(file: string, text: string): { code: string; line: number }[] {
	if (!file.endsWith('.svelte')) return [{ code: text, line: 1 }];
	const ast = parse(text, { modern: true });
	return [ast.module, ast.instance].flatMap((script) => {
		if (!script) return [];
		const { start, end } = script.content as unknown as { start: number; end: number };
		return [{ code: text.slice(start, end), line: text.slice(0, start).split('\n').length }];
	});
}

const CANDIDATES = ['', '.ts', '.js', '.svelte', '/index.ts', '/index.js'];

/** Where a specifier written in `from` points (see ImportEdge.to). */
export function resolveSpecifier(from: string, specifier: string): string {
	let base: string;
	if (specifier.startsWith('$lib/') || specifier === '$lib') base = join(ROOT, 'src/lib', specifier.slice(4));
	else if (specifier.startsWith('.')) base = resolve(ROOT, dirname(from), specifier);
	else return specifier; // $app/…, $env/…, a package
	// The project writes `./x.js` for `./x.ts` in code that runs in plain Node.
	const stems = [base, base.replace(/\.js$/, '')];
	for (const stem of stems)
		for (const ext of CANDIDATES) {
			const path = stem + ext;
			try {
				if (statSync(path).isFile()) return repoPath(path);
			} catch {
				// not this one
			}
		}
	return repoPath(base);
}

/** The imports of one module: static imports and re-exports, and `import('…')` with a literal name. */
export function importsOf(file: string): ImportEdge[] {
	const text = readFileSync(join(ROOT, file), 'utf8');
	const edges: ImportEdge[] = [];
	for (const { code, line: firstLine } of scripts(file, text)) {
		const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
		const add = (node: ts.Node, specifier: ts.Node, typeOnly: boolean) => {
			if (!ts.isStringLiteralLike(specifier)) return;
			const line = firstLine + source.getLineAndCharacterOfPosition(node.getStart(source)).line;
			edges.push({ from: file, to: resolveSpecifier(file, specifier.text), specifier: specifier.text, typeOnly, line });
		};
		// Static imports and re-exports are top-level statements.
		for (const node of source.statements) {
			if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
			else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier, node.isTypeOnly);
		}
		// `import('…')` may sit anywhere; the whole tree is walked only where the text has one.
		if (!code.includes('import(')) continue;
		const visit = (node: ts.Node) => {
			if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) add(node, node.arguments[0], false);
			// `typeof import('…')` in a type: no run-time dependency.
			else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true);
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return edges;
}

export interface Cycle {
	/** The modules that import one another round (a strongly connected component), in sort order. */
	modules: string[];
	/** Import paths that show it: a shortest way round from each module not on an earlier path. */
	paths: string[][];
}

/** The import cycles among `modules` over run-time imports (Tarjan's strongly connected components). */
export function cycles(edges: ImportEdge[], modules: (file: string) => boolean): Cycle[] {
	const next = new Map<string, Set<string>>();
	for (const e of edges) {
		if (e.typeOnly || !modules(e.from) || !modules(e.to) || e.from === e.to) continue;
		if (!next.has(e.from)) next.set(e.from, new Set());
		next.get(e.from)!.add(e.to);
	}
	const nodes = [...new Set([...next.keys(), ...[...next.values()].flatMap((s) => [...s])])].sort();
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const components: string[][] = [];
	let counter = 0;
	// Recursive: the graph is a few hundred modules deep at most.
	const connect = (v: string) => {
		index.set(v, counter);
		low.set(v, counter++);
		stack.push(v);
		onStack.add(v);
		for (const w of [...(next.get(v) ?? [])].sort()) {
			if (!index.has(w)) {
				connect(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) !== index.get(v)) return;
		const component: string[] = [];
		let w: string;
		do {
			w = stack.pop()!;
			onStack.delete(w);
			component.push(w);
		} while (w !== v);
		if (component.length > 1) components.push(component.sort());
	};
	for (const v of nodes) if (!index.has(v)) connect(v);
	return components
		.sort((a, b) => a[0].localeCompare(b[0]))
		.map((component) => {
			const paths: string[][] = [];
			const covered = new Set<string>();
			for (const m of component) {
				if (covered.has(m)) continue;
				const path = cycleFrom(m, new Set(component), next);
				for (const p of path) covered.add(p);
				paths.push(path);
			}
			return { modules: component, paths };
		});
}

/** A shortest way from `start` back to itself inside a strongly connected component (breadth first). */
function cycleFrom(start: string, inside: Set<string>, next: Map<string, Set<string>>): string[] {
	const cameFrom = new Map<string, string>();
	const queue = [start];
	for (let i = 0; i < queue.length; i++) {
		const v = queue[i];
		for (const w of [...(next.get(v) ?? [])].sort()) {
			if (!inside.has(w)) continue;
			if (w === start) {
				const path = [v];
				while (path[0] !== start) path.unshift(cameFrom.get(path[0])!);
				return [...path, start];
			}
			if (!cameFrom.has(w)) {
				cameFrom.set(w, v);
				queue.push(w);
			}
		}
	}
	// Unreachable: every module of a strongly connected component lies on a cycle.
	return [start];
}
