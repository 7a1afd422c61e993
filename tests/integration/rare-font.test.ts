import type { RequestEvent } from '@sveltejs/kit';
import * as fontkit from 'fontkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { RARE_FONT_PER_ADDRESS } from '../../src/lib/server/documents/rare-font';
import { GET } from '../../src/routes/fonts/rare/+server';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { routeEvent } from '../support/route-event';

/** The web font of rare characters: a real TrueType subset with exactly the asked glyphs, a strict URL, a budget. */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	database.db = t.db;
}, 120_000);
afterAll(() => t.destroy());

type Handler = (e: RequestEvent) => Promise<Response>;
let nextAddress = 1;
function get(query: string, address = `10.0.0.${nextAddress++}`): Promise<Response> {
	return (GET as unknown as Handler)(routeEvent(`/fonts/rare${query}`, { ip: address }));
}

type Parsed = { hasGlyphForCodePoint(cp: number): boolean; numGlyphs: number };
const parse = async (r: Response) => fontkit.create(Buffer.from(await r.arrayBuffer())) as unknown as Parsed;

describe('GET /fonts/rare', () => {
	it('answers a TrueType font with the glyphs of the extension-plane characters asked', async () => {
		// 𠮷 and 𡈼 are in the Hanazono A cut (chain font 1), as in the PDFs.
		const response = await get('?f=1&c=20bb7.2123c');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('font/ttf');
		expect(response.headers.get('cache-control')).toContain('immutable');
		const bytes = Buffer.from(await response.clone().arrayBuffer());
		// A few kilobytes, not the 29 MB source.
		expect(bytes.byteLength).toBeLessThan(20_000);
		const font = await parse(response);
		expect(font.hasGlyphForCodePoint(0x20bb7)).toBe(true); // 𠮷
		expect(font.hasGlyphForCodePoint(0x2123c)).toBe(true); // 𡈼
		expect(font.hasGlyphForCodePoint(0x20000)).toBe(false); // not asked
		expect(font.hasGlyphForCodePoint(0x4e00)).toBe(false);
	});

	it('takes each character from the chain font the PDFs use for it, and from no other', async () => {
		const query = 'c=4dae.20000.20bb7.2123c.2a6d6.30000';
		const noto = await get(`?f=0&${query}`);
		expect(noto.headers.get('content-type')).toBe('font/otf');
		const [a, b] = [await parse(await get(`?f=1&${query}`)), await parse(await get(`?f=2&${query}`))];
		const n = await parse(noto);
		// 䶮 (Extension A) is in Noto Sans Hans.
		expect([n, a, b].map((f) => f.hasGlyphForCodePoint(0x4dae))).toEqual([true, false, false]);
		expect([n, a, b].map((f) => f.hasGlyphForCodePoint(0x20bb7))).toEqual([false, true, false]);
		expect([n, a, b].map((f) => f.hasGlyphForCodePoint(0x2123c))).toEqual([false, true, false]);
		// U+2A6D6 (Extension B's last) only the B cut has.
		expect([n, a, b].map((f) => f.hasGlyphForCodePoint(0x2a6d6))).toEqual([false, false, true]);
		// Extension G (U+30000) is in none of them: left out everywhere, not a box.
		expect([n, a, b].map((f) => f.hasGlyphForCodePoint(0x30000))).toEqual([false, false, false]);
		// A font with none of the asked characters still has a cmap (browsers refuse a font without one).
		const none = await parse(await get('?f=2&c=4dae'));
		expect(none.numGlyphs).toBeGreaterThan(1);
		expect(none.hasGlyphForCodePoint(0x4dae)).toBe(false);
	});

	it('refuses anything but a strict list with 400 and a short message', async () => {
		const tooMany = Array.from({ length: 65 }, (_, i) => (0x20000 + i).toString(16)).join('.');
		for (const query of [
			'',
			'?c=20bb7', // no font
			'?f=3&c=20bb7',
			'?f=&c=20bb7',
			'?f=1',
			'?f=1&c=',
			'?f=1&c=4e00', // common: the device has it
			'?f=1&c=41',
			'?f=1&c=2123c.20bb7', // not ascending
			'?f=1&c=20bb7.20bb7', // repeated
			'?f=1&c=020bb7',
			'?f=1&c=03400',
			'?f=1&c=20BB7',
			'?f=1&c=20bb7&x=1',
			'?f=1&c=20bb7&c=2123c',
			'?f=1&c=110000',
			'?f=1&c=20bb7,2123c',
			`?f=1&c=${tooMany}`,
			`?f=1&c=${'a'.repeat(5000)}`
		]) {
			const response = await get(query);
			expect(response.status, query).toBe(400);
			const body = await response.text();
			expect(body.length).toBeLessThan(200);
			expect(body).not.toContain('aaaaaaaa');
		}
	});

	it('counts each address before the work: parallel requests cannot pass the budget', async () => {
		const address = '192.0.2.77';
		const max = RARE_FONT_PER_ADDRESS.max;
		// Invalid requests are cheap but count too, so a flood of them is stopped as well.
		const statuses = await Promise.all(Array.from({ length: max + 10 }, () => get('?c=zz', address).then((r) => r.status)));
		expect(statuses.filter((s) => s === 400)).toHaveLength(max);
		expect(statuses.filter((s) => s === 429)).toHaveLength(10);
		const refused = await get('?f=1&c=20bb7', address);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		// Another address is not affected.
		expect((await get('?f=1&c=20bb7')).status).toBe(200);
	});
});
