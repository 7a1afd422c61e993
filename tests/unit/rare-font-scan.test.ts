import { describe, expect, it } from 'vitest';
import { collectRare, rareFontRequests } from '../../src/lib/rare-font';

describe('rare character scanner', () => {
	it('collects Extension A and plane 2/3 characters as whole code points, nothing common', () => {
		const found = collectRare('申请人：𠮷田春，䶮，𡈼村 Ａb 😀 一 \u{30000}');
		expect([...found].sort((a, b) => a - b)).toEqual([0x4dae, 0x20bb7, 0x2123c, 0x30000]);
	});

	it('adds to an existing set without repeats and ignores lone surrogates', () => {
		const into = collectRare('𠮷𠮷');
		collectRare('𠮷\ud842', into);
		expect([...into]).toEqual([0x20bb7]);
		expect(collectRare('田春 abc').size).toBe(0);
	});

	it('asks sorted, dot-joined, at most 64 per request, the Hanazono fonts only for the planes above', () => {
		expect(rareFontRequests([0x2123c, 0x4dae, 0x20bb7]).map((r) => r.url)).toEqual([
			'/fonts/rare?f=0&c=4dae.20bb7.2123c',
			'/fonts/rare?f=1&c=4dae.20bb7.2123c',
			'/fonts/rare?f=2&c=4dae.20bb7.2123c'
		]);
		expect(rareFontRequests([0x4dae])).toEqual([{ family: 'Pingli Rare', url: '/fonts/rare?f=0&c=4dae', unicodeRange: 'U+4dae' }]);
		const many = rareFontRequests(Array.from({ length: 70 }, (_, i) => 0x3400 + i));
		expect(many.map((r) => r.url.split('c=')[1].split('.').length)).toEqual([64, 6]);
	});
});
