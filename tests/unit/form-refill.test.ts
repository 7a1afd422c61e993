import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Svelte's hydration sets `value={…}` and `checked={…}` (and a textarea's `{…}` content) afresh, which
 * wipes what someone typed or ticked before the page's script loaded. Refilled fields use
 * `defaultValue` / `defaultChecked`, a binding, or $lib/components/TextArea.svelte (a textarea's
 * `defaultValue` is not rendered by the server, so a page without JavaScript would lose its refill).
 * The same goes for a `<details>` someone opened: `open={…}` shuts it again, so sections that open on
 * a refusal use $lib/utils/disclosure.ts. tests/e2e/form-hydration.spec.ts shows both effects in a
 * browser; this keeps every page to the rule.
 */
const ROOTS = ['src/routes', 'src/lib/components'].map((d) => resolve(import.meta.dirname, '../..', d));

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : []
	);
}

/** Every problem in one file's markup, as "line: what". */
function problems(source: string): string[] {
	const found: string[] = [];
	const line = (index: number) => source.slice(0, index).split('\n').length;
	for (const m of source.matchAll(/<input\b(?:"[^"]*"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\}|[^>"'{])*>/g)) {
		const tag = m[0];
		const type = /\btype="([a-z]+)"/.exec(tag)?.[1] ?? 'text';
		if (type === 'hidden' || type === 'submit' || type === 'button') continue;
		// On a checkbox or radio, value= is the choice's own value, not what the user changes.
		if (!['checkbox', 'radio'].includes(type) && /(?<![\w:-])value=\{/.test(tag)) found.push(`${line(m.index)}: input value={…}`);
		if (/(?<![\w:-])checked=\{/.test(tag)) found.push(`${line(m.index)}: input checked={…}`);
	}
	for (const m of source.matchAll(/<textarea\b[^]*?<\/textarea\s*>/g)) {
		if (/>\s*\{[^]*\}\s*<\/textarea/.test(m[0]) || /(?<![\w:-])value=\{/.test(m[0])) found.push(`${line(m.index)}: textarea refilled with its content or value={…}`);
		if (/defaultValue=\{/.test(m[0])) found.push(`${line(m.index)}: textarea defaultValue={…} (not rendered by the server)`);
	}
	for (const m of source.matchAll(/<details\b[^>]*(?<![\w:-])open=\{/g)) found.push(`${line(m.index)}: details open={…} (use {...disclosure(…)})`);
	return found;
}

describe('refilled form fields survive hydration', () => {
	it('the check itself spots each kind of problem', () => {
		expect(problems('<input id="a" value={x} />\n<input type="radio" value={v} checked={c} />\n<textarea>{t}</textarea><textarea defaultValue={t}></textarea>')).toEqual([
			'1: input value={…}',
			'2: input checked={…}',
			'3: textarea refilled with its content or value={…}',
			'3: textarea defaultValue={…} (not rendered by the server)'
		]);
		expect(problems('<details open={refused}>')).toEqual(['1: details open={…} (use {...disclosure(…)})']);
		expect(problems('<details {...disclosure(refused)}><details open>')).toEqual([]);
		expect(problems('<input type="hidden" value={x} /><input defaultValue={x} /><input bind:value={x} /><input type="checkbox" value={v} bind:checked={c} defaultChecked={d} />')).toEqual([]);
	});

	it('no page sets value={…} or checked={…} on a field someone fills in', () => {
		const all = ROOTS.flatMap(svelteFiles).flatMap((file) => problems(readFileSync(file, 'utf8')).map((p) => `${relative(resolve(import.meta.dirname, '../..'), file)}:${p}`));
		expect(all).toEqual([]);
	});
});
