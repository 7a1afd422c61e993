import { z } from 'zod';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { checkSignaturePng, decodePngDataUrl } from './signature-image';
import { normalizeText } from '../../utils/invisible-chars';

const hash = z.string({ message: 'err_sign_stale_hash' }).regex(/^[0-9a-f]{64}$/, 'err_sign_stale_hash');
const name = z
	.string({ message: 'err_sign_name_required' })
	.transform((s) => normalizeText(s).replace(/\s+/g, ''))
	.pipe(z.string().min(1, 'err_sign_name_required').max(60, 'err_too_long'));

const signInput = z.object({
	decision: z.literal('sign'),
	hash,
	mark: z.enum(['drawn', 'thumbprint'], { message: 'err_sign_mark_required' }),
	typedName: name,
	signature: z.string().optional()
});
const refuseInput = z.object({
	decision: z.literal('refuse'),
	hash,
	reason: z
		.string({ message: 'err_sign_reason_required' })
		.transform((s) => normalizeText(s).trim())
		.pipe(z.string().min(1, 'err_sign_reason_required').max(500, 'err_too_long'))
});

/** A signer's answer: a signature (mark, typed name, PNG) or a refusal with its reason, on `hash`. */
export type Decision =
	| { decision: 'sign'; hash: string; mark: 'drawn' | 'thumbprint'; typedName: string; image: Uint8Array; imageSha256: string }
	| { decision: 'refuse'; hash: string; reason: string };

/** Parses a signing form: the image is checked last (PNG, size limit, not blank). */
export function parseDecision(raw: Record<string, unknown>): Decision {
	if (raw.decision === 'refuse') return parseInput(refuseInput, raw);
	if (raw.decision !== 'sign') throw new AppError('invalid', { decision: 'err_invalid' });
	const input = parseInput(signInput, raw);
	const image = checkSignaturePng(decodePngDataUrl(input.signature));
	return { decision: 'sign', hash: input.hash, mark: input.mark, typedName: input.typedName, image: image.bytes, imageSha256: image.sha256 };
}

/** A typed name matches the party's recorded name, ignoring spaces and width (全角/半角). */
export function sameName(typed: string, recorded: string): boolean {
	const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
	return norm(typed) === norm(recorded);
}
