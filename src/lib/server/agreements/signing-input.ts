import { z } from 'zod';
import type { NameConfirmation, SignatureMark } from '../../enums';
import { AppError } from '../errors';
import { freeText, parseInput } from '../validation';
import { checkSignaturePng, decodePngDataUrl } from './signature-image';
import { normalizeText } from '../../utils/invisible-chars';

const hash = z.string({ message: 'err_sign_stale_hash' }).regex(/^[0-9a-f]{64}$/, 'err_sign_stale_hash');
/** A typed name as written (NFC, spaces dropped), or null when none was typed. */
const name = z
	.string({ message: 'err_sign_name_required' })
	.optional()
	.transform((s) => (s == null ? null : normalizeText(s).replace(/\s+/g, '')) || null)
	.pipe(z.string().max(60, 'err_too_long').nullable());

const signInput = z.object({
	decision: z.literal('sign'),
	hash,
	mark: z.enum(['drawn', 'thumbprint'], { message: 'err_sign_mark_required' }),
	typedName: name,
	/** "我是 …" tapped: the signer confirms the recorded name instead of typing it. */
	confirmName: z.literal('1').optional().or(z.literal('').transform(() => undefined)),
	signature: z.string().optional()
});
const refuseInput = z.object({
	decision: z.literal('refuse'),
	hash,
	reason: freeText(500, 'err_sign_reason_required')
});

/**
 * How the name under a signature was given: typed (matched against the recorded name), tapped
 * ("我是 𠮷田春", for a name a phone keyboard cannot type), or not at all with a thumbprint — the
 * one-time code to the party's phone is what identifies them; the name is a confirmation.
 */
export type { NameConfirmation };

/** A signer's answer: a signature (mark, name, PNG) or a refusal with its reason, on `hash`. */
export type Decision =
	| {
			decision: 'sign';
			hash: string;
			mark: SignatureMark;
			/** The typed name, or null when the recorded name was confirmed by tapping or a thumbprint alone. */
			typedName: string | null;
			nameConfirmation: NameConfirmation;
			image: Uint8Array;
			imageSha256: string;
	  }
	| { decision: 'refuse'; hash: string; reason: string };

/** Parses a signing form: the image is checked last (PNG, size limit, not blank). */
export function parseDecision(raw: Record<string, unknown>): Decision {
	if (raw.decision === 'refuse') return parseInput(refuseInput, raw);
	if (raw.decision !== 'sign') throw new AppError('invalid', { decision: 'err_invalid' });
	const input = parseInput(signInput, raw);
	const typedName = input.confirmName ? null : input.typedName;
	const nameConfirmation: NameConfirmation = input.confirmName ? 'tapped' : typedName !== null ? 'typed' : 'mark_only';
	if (nameConfirmation === 'mark_only' && input.mark !== 'thumbprint') throw new AppError('invalid', { typedName: 'err_sign_name_required' });
	const image = checkSignaturePng(decodePngDataUrl(input.signature));
	return { decision: 'sign', hash: input.hash, mark: input.mark, typedName, nameConfirmation, image: image.bytes, imageSha256: image.sha256 };
}

export { sameName } from '../../utils/person-name';
