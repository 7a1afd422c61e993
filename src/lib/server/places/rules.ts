import { z } from 'zod';
import type { PlaceKind } from '../../types';
import { normalizeText } from '../../utils/invisible-chars';

/** The only shape the tree may take: county → township → village, and nothing below a village. */
export function childKindOf(kind: PlaceKind): PlaceKind | null {
	return kind === 'county' ? 'township' : kind === 'township' ? 'village' : null;
}

/** A display name: trimmed, NFC, 1–60 characters, no control characters. */
export const nameSchema = z
	.string({ message: 'err_required' })
	.transform((s) => normalizeText(s).trim())
	.pipe(
		z
			.string()
			.min(1, 'err_required')
			.max(60, 'err_too_long')
			.regex(/^[^\p{Cc}]*$/u, 'err_invalid_chars')
	);
