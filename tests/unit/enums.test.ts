import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as enums from '../../src/lib/enums';
import * as schema from '../../src/lib/server/db/schema';

const SCHEMA = resolve(import.meta.dirname, '../../src/lib/server/db/schema');

describe('stored value lists are written once', () => {
	it('every database enum takes a named list, never one written inline', () => {
		const inline = readdirSync(SCHEMA)
			.filter((f) => f.endsWith('.ts'))
			.flatMap((f) => [...readFileSync(join(SCHEMA, f), 'utf8').matchAll(/pgEnum\(\s*'([a-z_]+)',\s*\[/g)].map((m) => `${f}: ${m[1]}`));
		expect(inline).toEqual([]);
	});

	it('the enums of the schema hold exactly the lists of src/lib/enums.ts', () => {
		const lists = new Set(Object.values(enums).filter(Array.isArray).map((l) => JSON.stringify(l)));
		const pg = Object.values(schema).filter((v): v is typeof schema.placeKind => typeof v === 'function' && 'enumName' in v && 'enumValues' in v);
		expect(pg.length).toBeGreaterThan(20);
		const strays = pg.filter((e) => !lists.has(JSON.stringify(e.enumValues)) && e.enumName !== 'notice_kind').map((e) => e.enumName);
		expect(strays).toEqual([]);
	});
});
