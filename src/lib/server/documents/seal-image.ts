import { PNG } from 'pngjs';
import { fontIndexFor, loadFontChain, type PathCommand } from './pdf-font';

/**
 * Stand-in seals for the demo county: a red ring with a five-pointed star and, for a named one, the
 * committee's name around the top of the ring, as a committee's seal reads (印文环列). Drawn here
 * rather than imitating any real committee's seal; real committees upload their own image
 * (admin → seals).
 *
 * The name is set from the PDF font chain's outlines and filled by a small scanline of our own: the
 * raster libraries on npm that draw text need a native build or system fonts, and the chain already
 * covers every character a committee's name can use.
 */

const RED = [0xd7, 0x00, 0x0f] as const;

type Point = [number, number];

/** Outline commands as closed polygons (curves cut into short straight pieces). */
function polygons(commands: PathCommand[], map: (x: number, y: number) => Point): Point[][] {
	const out: Point[][] = [];
	let poly: Point[] = [];
	let [px, py] = [0, 0];
	const steps = 8;
	for (const { command, args } of commands) {
		if (command === 'moveTo') {
			if (poly.length) out.push(poly);
			poly = [map(args[0], args[1])];
			[px, py] = [args[0], args[1]];
		} else if (command === 'lineTo') {
			poly.push(map(args[0], args[1]));
			[px, py] = [args[0], args[1]];
		} else if (command === 'quadraticCurveTo') {
			const [cx, cy, x, y] = args;
			for (let i = 1; i <= steps; i++) {
				const t = i / steps;
				const a = (1 - t) ** 2, b = 2 * (1 - t) * t, c = t * t;
				poly.push(map(a * px + b * cx + c * x, a * py + b * cy + c * y));
			}
			[px, py] = [x, y];
		} else if (command === 'bezierCurveTo') {
			const [c1x, c1y, c2x, c2y, x, y] = args;
			for (let i = 1; i <= steps; i++) {
				const t = i / steps;
				const a = (1 - t) ** 3, b = 3 * (1 - t) ** 2 * t, c = 3 * (1 - t) * t * t, d = t ** 3;
				poly.push(map(a * px + b * c1x + c * c2x + d * x, a * py + b * c1y + c * c2y + d * y));
			}
			[px, py] = [x, y];
		} else if (command === 'closePath' && poly.length) {
			out.push(poly);
			poly = [];
		}
	}
	if (poly.length) out.push(poly);
	return out;
}

/** Non-zero winding: inside the outline (glyph contours run both ways, so even-odd would punch holes). */
function winding(polys: Point[][], x: number, y: number): number {
	let w = 0;
	for (const poly of polys) {
		for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
			const [xi, yi] = poly[i];
			const [xj, yj] = poly[j];
			if (yj <= y !== yi <= y) {
				const cross = xj + ((y - yj) * (xi - xj)) / (yi - yj);
				if (x < cross) w += yi > yj ? 1 : -1;
			}
		}
	}
	return w;
}

/** Ring and star coverage (0–1) of each pixel of a `size`-square seal. */
function ringAndStar(size: number): Float32Array {
	const c = size / 2;
	const outer = c - 4;
	const inner = outer - size / 24;
	// Star: 10 points alternating between the outer and inner radius, pointing up.
	const star: Point[] = [];
	for (let i = 0; i < 10; i++) {
		const r = i % 2 === 0 ? size * 0.2 : size * 0.08;
		const a = -Math.PI / 2 + (i * Math.PI) / 5;
		star.push([c + r * Math.cos(a), c + r * Math.sin(a)]);
	}
	const cover = new Float32Array(size * size);
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) {
			const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
			cover[y * size + x] = (d <= outer && d >= inner) || winding([star], x + 0.5, y + 0.5) !== 0 ? 1 : 0;
		}
	}
	return cover;
}

function png(size: number, cover: Float32Array): Uint8Array {
	const image = new PNG({ width: size, height: size });
	for (let i = 0; i < size * size; i++) {
		image.data.set([...RED, Math.round(Math.min(1, cover[i]) * 230)], i * 4);
	}
	return new Uint8Array(PNG.sync.write(image));
}

/** The unnamed demo seal: ring and star only. */
export function demoSealPng(size = 240): Uint8Array {
	return png(size, ringAndStar(size));
}

/**
 * A demo seal with `name` (e.g. 城南村人民调解委员会) around the top of the ring, left to right, each
 * character upright towards the rim; 2×2 samples a pixel for smooth edges.
 */
export async function namedSealPng(name: string, size = 240): Promise<Uint8Array> {
	const chain = await loadFontChain();
	const cover = ringAndStar(size);
	const chars = [...name.normalize('NFC')].filter((ch) => ch.trim() !== '');
	if (chars.length === 0) return png(size, cover);
	const c = size / 2;
	const inner = c - 4 - size / 24;
	// Character height: as large as fits both the band between ring and star and the arc.
	const band = inner - size * 0.2 - 10;
	const span = Math.min((4 * Math.PI) / 3, Math.PI * 0.12 * chars.length);
	let h = Math.min(band * 0.85, size * 0.15);
	const baseline = () => inner - 3 - 0.88 * h;
	h = Math.min(h, ((span / chars.length) * baseline()) / 1.02);
	const rb = baseline();
	chars.forEach((ch, i) => {
		const cp = ch.codePointAt(0)!;
		const { commands, advance } = chain[fontIndexFor(chain, cp)].outline(cp);
		const phi = -Math.PI / 2 - span / 2 + ((i + 0.5) * span) / chars.length;
		const [ux, uy] = [Math.cos(phi), Math.sin(phi)];
		const [tx, ty] = [-uy, ux];
		// Font units (ems, y up) → the seal's pixels: along the ring (t) and outward (u).
		const map = (gx: number, gy: number): Point => {
			const along = (gx - advance / 2) * h;
			const out = rb + gy * h;
			return [c + out * ux + along * tx, c + out * uy + along * ty];
		};
		const polys = polygons(commands, map);
		const xs = polys.flat().map((p) => p[0]);
		const ys = polys.flat().map((p) => p[1]);
		if (xs.length === 0) return;
		for (let y = Math.max(0, Math.floor(Math.min(...ys))); y <= Math.min(size - 1, Math.ceil(Math.max(...ys))); y++) {
			for (let x = Math.max(0, Math.floor(Math.min(...xs))); x <= Math.min(size - 1, Math.ceil(Math.max(...xs))); x++) {
				let hits = 0;
				for (const [sx, sy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) if (winding(polys, x + sx, y + sy) !== 0) hits++;
				cover[y * size + x] = Math.min(1, cover[y * size + x] + hits / 4);
			}
		}
	});
	return png(size, cover);
}
