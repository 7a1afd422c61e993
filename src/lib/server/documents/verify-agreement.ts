import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { committeeName, loadCanonicalAgreement } from '../agreements/agreement-content';
import { canonicalize } from '../agreements/canonical-text';
import { formatChainHead, readChainHead } from '../audit/chain-head';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, RateLimitedError, type RateLimitRule } from '../auth/rate-limit';
import type { Db } from '../db';
import { agreementDocuments, agreements, cases, places } from '../db/schema';
import { AppError } from '../errors';
import { loadSigners } from './copy-content';
import { normalizeVerifyCode } from './verify-code';

/** Per client address: plenty for someone checking a few copies, nothing for walking the code space. */
export const VERIFY_PER_ADDRESS: RateLimitRule = { name: 'verify-address', max: 20, windowMs: 10 * 60_000 };
/** The largest PDF the page takes: a copy is about 100 KB; a few images more stay far below this. */
export const VERIFY_MAX_BYTES = 5 * 1024 * 1024;

/**
 * What the public learns about a copy. Only what the paper already shows to whoever holds it, masked:
 * the committee, the effective date, each signer's role, masked name and signing date, and the hash.
 * No case number, phone, ID number or address.
 */
export interface Verification {
	/**
	 * `valid`: a copy of an effective agreement whose stored content still hashes to what was signed.
	 * `altered`: the copy is known but the agreement changed since (a stored term edited, or it was
	 * unfrozen and signed again): this paper no longer matches the record.
	 * `unknown`: no copy with this code or these exact bytes.
	 */
	status: 'valid' | 'altered' | 'unknown';
	committee?: string;
	effectiveOn?: string | null;
	hash?: string;
	signers?: { role: string; name: string; signedOn: string }[];
	/**
	 * The audit chain's head (`<count>:<hash>`) right after this check was recorded. Whoever keeps it
	 * can later prove with `audit:verify --head` that no rows were cut off the log's end since.
	 */
	head: string;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: the family name stays, the rest is hidden. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

export type VerifyQuery = { code: unknown } | { pdf: Uint8Array };

/**
 * Checks a copy by its printed code or by its bytes, for anyone without an account. Rate-limited per
 * client address (a refusal is `rate_limited`), and every check that ran is audited with its result.
 */
export async function verifyAgreement(db: Db, query: VerifyQuery, ip: string, now = new Date()): Promise<Verification> {
	// Counted before anything is looked up: one statement, so parallel requests cannot overrun it.
	const taken = await dbRateLimiter(db, VERIFY_PER_ADDRESS).take(ip);
	if (!taken.ok) throw new RateLimitedError(taken.retryAfterMs);
	const method = 'code' in query ? 'code' : 'file';
	let doc: { id: number; agreementId: number; agreementHash: string } | undefined;
	if ('code' in query) {
		const code = normalizeVerifyCode(query.code);
		if (!code) throw new AppError('invalid', { code: 'err_verify_code_invalid' });
		[doc] = await db
			.select({ id: agreementDocuments.id, agreementId: agreementDocuments.agreementId, agreementHash: agreementDocuments.agreementHash })
			.from(agreementDocuments)
			.where(eq(agreementDocuments.verifyCode, code))
			.limit(1);
	} else {
		if (query.pdf.length === 0) throw new AppError('invalid', { pdf: 'err_verify_file_required' });
		if (query.pdf.length > VERIFY_MAX_BYTES) throw new AppError('invalid', { pdf: 'err_verify_file_too_large' });
		// A PDF that differs from the stored copy by a single byte is not that copy.
		[doc] = await db
			.select({ id: agreementDocuments.id, agreementId: agreementDocuments.agreementId, agreementHash: agreementDocuments.agreementHash })
			.from(agreementDocuments)
			.where(eq(agreementDocuments.pdfSha256, encodeHexLowerCase(sha256(query.pdf))))
			.limit(1);
	}
	const result = doc ? await judge(db, doc) : { status: 'unknown' as const };
	const head = await db.transaction(async (tx) => {
		await recordAudit(tx, {
			action: 'document.verify',
			actorId: null,
			subjectType: doc ? 'agreement' : undefined,
			subjectId: doc?.agreementId,
			ip,
			data: { method, status: result.status, documentId: doc?.id ?? null }
		});
		// Read inside the transaction, after our own row and before anyone else's: the head we publish is one the log really had.
		return formatChainHead(await readChainHead(tx));
	});
	return { ...result, head };
}

/**
 * Whether the agreement a copy was made from still stands as signed: still effective under the same
 * frozen hash, and its stored content (text fields, terms, parties) still hashing to that hash. A
 * term changed in the database behind the application's back fails the last test.
 */
async function judge(db: Db, doc: { agreementId: number; agreementHash: string }): Promise<Omit<Verification, 'head'>> {
	const [agreement] = await db.select().from(agreements).where(eq(agreements.id, doc.agreementId)).limit(1);
	const [[c], [place], signers] = await Promise.all([
		db.select({ number: cases.number }).from(cases).where(eq(cases.id, agreement.caseId)),
		db.select({ name: places.name }).from(places).where(eq(places.id, agreement.committeePlaceId ?? -1)),
		loadSigners(db, agreement)
	]);
	let intact = agreement.status === 'effective' && agreement.frozenHash === doc.agreementHash && agreement.committeePlaceId !== null;
	if (intact) {
		const content = await loadCanonicalAgreement(db, agreement, { caseNumber: c.number, committeePlaceId: agreement.committeePlaceId!, revision: agreement.revision });
		const { text, hash } = canonicalize(content);
		intact = hash === agreement.frozenHash && text === agreement.frozenText;
	}
	return {
		status: intact ? 'valid' : 'altered',
		committee: committeeName(place?.name ?? ''),
		effectiveOn: intact ? agreement.effectiveOn : null,
		hash: doc.agreementHash,
		signers: intact ? signers.map((s) => ({ role: s.role, name: maskName(s.name), signedOn: new Date(s.signedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) })) : []
	};
}
