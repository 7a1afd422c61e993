import { m } from '$lib/paraglide/messages';
import type { UnmaskPurpose } from '$lib/server/privacy/rules';

/** The purposes a full view may be asked for, in the order offered (privacy/rules.ts). */
export const UNMASK_PURPOSE_LABELS: [UnmaskPurpose, () => string][] = [
	['service', m.pi_purpose_service],
	['identity', m.pi_purpose_identity],
	['document', m.pi_purpose_document],
	['contact', m.pi_purpose_contact],
	['other', m.pi_purpose_other]
];
