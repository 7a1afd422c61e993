import { PNG } from 'pngjs';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { AppError } from '../errors';

/** The largest signature image accepted: a drawn signature at phone resolution is 10–40 KB. */
export const MAX_SIGNATURE_BYTES = 200 * 1024;
const MAX_SIDE = 3000;
/** Fewer inked pixels than this is an empty canvas (or a stray tap), not a signature. */
const MIN_INK_PIXELS = 40;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** "data:image/png;base64,…" → bytes; null for anything else. */
export function decodePngDataUrl(value: unknown): Uint8Array | null {
	if (typeof value !== 'string') return null;
	const m = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(value.trim());
	return m ? new Uint8Array(Buffer.from(m[1], 'base64')) : null;
}

/**
 * Accepts a signature or thumbprint image only if it is a PNG within the size limit that decodes and
 * has ink on it. A pixel counts as ink when it is mostly opaque and not near-white, so both a
 * transparent canvas (signature_pad's default) and a white-filled one read as empty.
 */
export function checkSignaturePng(bytes: Uint8Array | null, field = 'signature'): { bytes: Uint8Array; sha256: string } {
	if (!bytes || bytes.length === 0) throw new AppError('invalid', { [field]: 'err_sig_missing' });
	if (bytes.length > MAX_SIGNATURE_BYTES) throw new AppError('invalid', { [field]: 'err_sig_too_large' });
	if (!PNG_MAGIC.every((b, i) => bytes[i] === b)) throw new AppError('invalid', { [field]: 'err_sig_not_png' });
	let png: PNG;
	try {
		png = PNG.sync.read(Buffer.from(bytes));
	} catch {
		throw new AppError('invalid', { [field]: 'err_sig_not_png' });
	}
	if (png.width > MAX_SIDE || png.height > MAX_SIDE) throw new AppError('invalid', { [field]: 'err_sig_too_large' });
	let ink = 0;
	const d = png.data;
	for (let i = 0; i < d.length && ink < MIN_INK_PIXELS; i += 4) {
		if (d[i + 3] > 128 && d[i] + d[i + 1] + d[i + 2] < 600) ink++;
	}
	if (ink < MIN_INK_PIXELS) throw new AppError('invalid', { [field]: 'err_sig_blank' });
	return { bytes, sha256: encodeHexLowerCase(sha256(bytes)) };
}
