import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { committeeName, loadCanonicalAgreement } from '../agreements/agreement-content';
import { canonicalize } from '../agreements/canonical-text';
import { formatChainHead, readChainHead } from '../audit/chain-head';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, RateLimitedError, type RateLimitRule } from '../auth/rate-limit';
import type { Db } from '../db';
import { agreementDocuments, agreements, caseParties, cases, places, sealingCertificates } from '../db/schema';
import { checkPdfSignature } from '../sealing/check-pdf-signature';
import { commonName } from '../sealing/certificate-info';
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
	 * `tampered`: an uploaded file that carries a digital seal broken by a change after sealing.
	 */
	status: 'valid' | 'altered' | 'unknown' | 'tampered';
	/** Whose copy it is: the holder's role and masked name, or the committee. */
	holder?: string;
	/** The copy's digital seal: the signer its certificate names, and the trusted time; null when unsealed. */
	seal?: { signer: string; demo: boolean; timestampedAt: string | null } | null;
	/** With `altered`: the agreement was unfrozen and signed again since, so this copy is superseded. */
	superseded?: boolean;
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

const STORED_COPY = {
	id: agreementDocuments.id,
	agreementId: agreementDocuments.agreementId,
	agreementHash: agreementDocuments.agreementHash,
	partyId: agreementDocuments.partyId,
	sealCertificateId: agreementDocuments.sealCertificateId,
	timestampedAt: agreementDocuments.timestampedAt
};
type StoredCopy = { id: number; agreementId: number; agreementHash: string; partyId: number | null; sealCertificateId: number | null; timestampedAt: Date | null };

/** 张三 → 张*, 欧阳娜娜 → 欧***: the family name stays, the rest is hidden. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

export type VerifyQuery = { code: unknown } | { pdf: Uint8Array };

export interface VerifyAgreementOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Checks a copy by its printed code or by its bytes, for anyone without an account. Rate-limited per
 * client address (a refusal is `rate_limited`), and every check that ran is audited with its result.
 */
export async function verifyAgreement(db: Db, query: VerifyQuery, ip: string, options: VerifyAgreementOptions = {}): Promise<Verification> {
	const { now = new Date() } = options;
	// Counted before anything is looked up: one statement, so parallel requests cannot overrun it.
	const taken = await dbRateLimiter(db, VERIFY_PER_ADDRESS).take(ip);
	if (!taken.ok) throw new RateLimitedError(taken.retryAfterMs);
	const method = 'code' in query ? 'code' : 'file';
	let doc: StoredCopy | undefined;
	let tampered = false;
	if ('code' in query) {
		const code = normalizeVerifyCode(query.code);
		if (!code) throw new AppError('invalid', { code: 'err_verify_code_invalid' });
		[doc] = await db.select(STORED_COPY).from(agreementDocuments).where(eq(agreementDocuments.verifyCode, code)).limit(1);
	} else {
		if (query.pdf.length === 0) throw new AppError('invalid', { pdf: 'err_verify_file_required' });
		if (query.pdf.length > VERIFY_MAX_BYTES) throw new AppError('invalid', { pdf: 'err_verify_file_too_large' });
		// A PDF that differs from the stored copy by a single byte is not that copy.
		[doc] = await db.select(STORED_COPY).from(agreementDocuments).where(eq(agreementDocuments.pdfSha256, encodeHexLowerCase(sha256(query.pdf)))).limit(1);
		// Not a stored copy: if it carries a digital seal that no longer verifies, it was changed after
		// sealing. The file is only scanned for its signature (never stored, never rendered).
		if (!doc) tampered = (await checkPdfSignature(query.pdf)).status === 'invalid';
	}
	const result = doc ? await judge(db, doc) : { status: tampered ? ('tampered' as const) : ('unknown' as const) };
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
async function judge(db: Db, doc: StoredCopy): Promise<Omit<Verification, 'head'>> {
	const [agreement] = await db.select().from(agreements).where(eq(agreements.id, doc.agreementId)).limit(1);
	const [[c], [place], signers, [holder], [cert]] = await Promise.all([
		db.select({ number: cases.number }).from(cases).where(eq(cases.id, agreement.caseId)),
		db.select({ name: places.name }).from(places).where(eq(places.id, agreement.committeePlaceId ?? -1)),
		loadSigners(db, agreement),
		doc.partyId === null ? [] : db.select({ side: caseParties.side, name: caseParties.name }).from(caseParties).where(eq(caseParties.id, doc.partyId)),
		doc.sealCertificateId === null
			? []
			: db.select({ subject: sealingCertificates.subject, demo: sealingCertificates.demo }).from(sealingCertificates).where(eq(sealingCertificates.id, doc.sealCertificateId))
	]);
	let intact = agreement.status === 'effective' && agreement.frozenHash === doc.agreementHash && agreement.committeePlaceId !== null;
	if (intact) {
		const content = await loadCanonicalAgreement(db, agreement, { caseNumber: c.number, committeePlaceId: agreement.committeePlaceId!, revision: agreement.revision });
		const { text, hash } = canonicalize(content);
		intact = hash === agreement.frozenHash && text === agreement.frozenText;
	}
	const committee = committeeName(place?.name ?? '');
	return {
		status: intact ? 'valid' : 'altered',
		superseded: !intact && agreement.frozenHash !== doc.agreementHash,
		holder: holder ? `${holder.side === 'applicant' ? '申请人' : '被申请人'} ${maskName(holder.name)}` : committee,
		seal: cert ? { signer: commonName(cert.subject), demo: cert.demo, timestampedAt: doc.timestampedAt?.toISOString() ?? null } : null,
		committee,
		effectiveOn: intact ? agreement.effectiveOn : null,
		hash: doc.agreementHash,
		signers: intact ? signers.map((s) => ({ role: s.role, name: maskName(s.name), signedOn: new Date(s.signedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) })) : []
	};
}
