import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { demoSealPng, namedSealPng } from '../../src/lib/server/documents/seal-image';

/** How much ink a seal has inside a box of its pixels (sum of alpha / 255). */
function ink(bytes: Uint8Array, box: { x0: number; y0: number; x1: number; y1: number }): number {
	const png = PNG.sync.read(Buffer.from(bytes));
	let sum = 0;
	for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) sum += png.data[(y * png.width + x) * 4 + 3] / 255;
	return sum;
}

describe('committee seal', () => {
	// Between the ring and the star, above the centre: where the name runs.
	const top = { x0: 85, y0: 24, x1: 155, y1: 66 };
	const bottom = { x0: 85, y0: 180, x1: 155, y1: 214 };

	it('writes the committee name around the top of the ring, in every plane', async () => {
		const plain = demoSealPng(240);
		expect(ink(plain, top)).toBe(0);
		const named = await namedSealPng('城南村人民调解委员会', 240);
		expect(ink(named, top)).toBeGreaterThan(150);
		// The lower band stays clear, as a seal's is.
		expect(ink(named, bottom)).toBe(ink(plain, bottom));
		// A name from Extension B is drawn too (the main font has no 𡈼).
		const rare = await namedSealPng('𡈼', 240);
		const common = await namedSealPng('王', 240);
		expect(ink(rare, top)).toBeGreaterThan(20);
		expect(Buffer.from(rare).equals(Buffer.from(common))).toBe(false);
	}, 60_000);
});
