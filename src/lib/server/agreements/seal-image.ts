import { PNG } from 'pngjs';

/**
 * A plain stand-in seal for the demo county: a red ring with a five-pointed star, drawn here rather
 * than imitating any real committee's seal. Real committees upload their own image (admin → seals).
 */
export function demoSealPng(size = 240): Uint8Array {
	const png = new PNG({ width: size, height: size });
	const c = size / 2;
	const outer = c - 4;
	const inner = outer - size / 24;
	// Star: 10 points alternating between the outer and inner radius, pointing up.
	const star: [number, number][] = [];
	for (let i = 0; i < 10; i++) {
		const r = i % 2 === 0 ? size * 0.3 : size * 0.12;
		const a = -Math.PI / 2 + (i * Math.PI) / 5;
		star.push([c + r * Math.cos(a), c + r * Math.sin(a)]);
	}
	const inStar = (x: number, y: number) => {
		let inside = false;
		for (let i = 0, j = star.length - 1; i < star.length; j = i++) {
			const [xi, yi] = star[i];
			const [xj, yj] = star[j];
			if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
		}
		return inside;
	};
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
			const on = (d <= outer && d >= inner) || inStar(x + 0.5, y + 0.5);
			const i = (y * size + x) * 4;
			png.data[i] = 0xd7;
			png.data[i + 1] = 0x00;
			png.data[i + 2] = 0x0f;
			png.data[i + 3] = on ? 230 : 0;
		}
	}
	return new Uint8Array(PNG.sync.write(png));
}
