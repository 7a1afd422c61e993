import type { SignerRole } from '../../enums';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { agreementSignatures, agreements, caseParties, committeeSeals } from '../db/schema';
import { uniqueViolation } from '../db/unique-violation';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadAgreementRow } from './agreement-case';
import { loadAgreementTerms } from './agreement-content';
import { mediatorMaySign, todayOf } from './rules';
import type { Decision } from './signing-input';
import { sameName } from './signing-input';

export interface Signer {
	caseId: number;
	role: SignerRole;
	partyId: number | null;
	userId: number | null;
	/** The name a signature must be typed as: the party's (a person) or the mediator's. */
	expectedName: string | null;
	channel: 'account' | 'invitation';
	/** For a link signer: the last four digits of the phone the one-time code went to. */
	phoneTail?: string | null;
}

/** Where a signature came from, recorded with it as evidence. */
export interface SigningClient {
	ip?: string;
	/** The browser's User-Agent header. */
	userAgent?: string | null;
}

function clientOf(client: SigningClient): { ip: string | undefined; userAgent: string | null } {
	// Cut, not refused: the header is the browser's, and a long one must not stop a signature.
	return { ip: client.ip, userAgent: client.userAgent ? client.userAgent.slice(0, 300) : null };
}

/**
 * The name the signature is under: the typed one (which must match the recorded name of a person),
 * or — tapped "我是 …" or a thumbprint alone — the recorded name itself; a signer without a recorded
 * name to confirm (the mediator, an organisation's representative) has to type one.
 */
function nameUnder(signer: Signer, d: Extract<Decision, { decision: 'sign' }>): string {
	if (d.typedName !== null) {
		if (signer.expectedName !== null && !sameName(d.typedName, signer.expectedName)) throw new AppError('invalid', { typedName: 'err_sign_name_mismatch' });
		return d.typedName;
	}
	if (signer.expectedName === null) throw new AppError('invalid', { typedName: 'err_sign_name_required' });
	return signer.expectedName;
}

/**
 * Records one signature or refusal on the frozen agreement, in one transaction with its audit row:
 * - the submitted hash must be the current frozen hash (电子签名法 art. 13): otherwise 409, the signer
 *   has to read the text again;
 * - a party answers once per frozen revision;
 * - the mediator signs last, after every party has signed and nobody refused, and only when the
 *   committee's seal is configured: the seal is applied with the mediator's signature, and the
 *   agreement takes effect then (art. 29), its effective date recorded. No term may be due before it.
 */
export async function recordSignature(db: Db, signer: Signer, d: Decision, client: SigningClient, now: Date): Promise<{ signatureId: number; effective: boolean }> {
	const { ip, userAgent } = clientOf(client);
	const signedName = d.decision === 'sign' ? nameUnder(signer, d) : null;
	if (d.decision === 'refuse' && signer.role === 'mediator') throw new AppError('invalid', { decision: 'err_invalid' });
	try {
		return await db.transaction(async (tx) => {
			const a = await loadAgreementRow(tx, signer.caseId, true);
			if (a.status === 'effective') throw new AppError('conflict', { _: 'err_sign_closed' });
			if (a.status !== 'frozen') throw new AppError('conflict', { _: 'err_sign_stale_hash' });
			if (d.hash !== a.frozenHash) throw new AppError('conflict', { _: 'err_sign_stale_hash' });
			const standing = await tx
				.select({ role: agreementSignatures.role, partyId: agreementSignatures.partyId, refused: agreementSignatures.refused })
				.from(agreementSignatures)
				.where(and(eq(agreementSignatures.agreementId, a.id), isNull(agreementSignatures.voidedAt)));
			let seal: { sha256: string } | undefined;
			if (signer.role === 'mediator') {
				const parties = await tx.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, a.caseId));
				if (!mediatorMaySign({ partyIds: parties.map((p) => p.id), signatures: standing })) throw new AppError('conflict', { _: 'err_sign_mediator_last' });
				[seal] = await tx.select({ sha256: committeeSeals.imageSha256 }).from(committeeSeals).where(eq(committeeSeals.placeId, a.committeePlaceId!));
				if (!seal) throw new AppError('conflict', { _: 'err_sign_no_seal' });
				const today = todayOf(now);
				if ((await loadAgreementTerms(tx, a.id)).some((t) => t.dueOn !== null && t.dueOn < today)) throw new AppError('conflict', { _: 'err_ag_due_before_effective' });
			} else if (standing.some((s) => s.role === 'party' && s.partyId === signer.partyId)) {
				throw new AppError('conflict', { _: 'err_sign_already' });
			}
			const [sig] = await tx
				.insert(agreementSignatures)
				.values({
					agreementId: a.id,
					revision: a.revision,
					hash: a.frozenHash!,
					role: signer.role,
					partyId: signer.partyId,
					userId: signer.userId,
					channel: signer.channel,
					signedAt: now,
					ip: ip ?? null,
					userAgent,
					phoneTail: signer.phoneTail ?? null,
					...(d.decision === 'sign'
						? { mark: d.mark, image: d.image, imageSha256: d.imageSha256, typedName: signedName, nameConfirmation: d.nameConfirmation }
						: { refused: true, refusalReason: d.reason })
				})
				.returning({ id: agreementSignatures.id });
			const base = { caseId: a.caseId, signatureId: sig.id, channel: signer.channel, hash: a.frozenHash! };
			if (d.decision === 'sign') {
				await recordAudit(tx, {
					action: 'agreement.sign',
					actorId: signer.userId,
					subjectType: 'agreement',
					subjectId: a.id,
					ip,
					data: { ...base, role: signer.role, partyId: signer.partyId, imageSha256: d.imageSha256 }
				});
			} else {
				await recordAudit(tx, { action: 'agreement.refuse', actorId: signer.userId, subjectType: 'agreement', subjectId: a.id, ip, data: { ...base, partyId: signer.partyId! } });
			}
			const kind = d.decision === 'refuse' ? 'agreement_refused' : signer.role === 'mediator' ? 'agreement_effective' : 'agreement_signed';
			if (signer.role === 'mediator' && seal) {
				const effectiveOn = todayOf(now);
				await tx.update(agreements).set({ status: 'effective', sealedAt: now, effectiveAt: now, effectiveOn, updatedAt: now }).where(eq(agreements.id, a.id));
				await recordAudit(tx, {
					action: 'agreement.effective',
					actorId: signer.userId,
					subjectType: 'agreement',
					subjectId: a.id,
					ip,
					data: { caseId: a.caseId, hash: a.frozenHash!, effectiveOn, sealSha256: seal.sha256 }
				});
			}
			const note = d.decision === 'refuse' ? d.reason : null;
			await recordCaseActivity(tx, a.caseId, signer.userId, now, [
				{ kind, note, data: { agreementId: a.id, partyId: signer.partyId, revision: a.revision }, public: d.decision === 'sign' }
			]);
			return { signatureId: sig.id, effective: signer.role === 'mediator' };
		});
	} catch (err) {
		if (uniqueViolation(err)?.startsWith('agreement_signatures_')) throw new AppError('conflict', { _: 'err_sign_already' });
		throw err;
	}
}
