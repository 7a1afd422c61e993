import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Tx } from '../db';
import { sealingCertificates } from '../db/schema';
import { certificateInfo } from './certificate-info';
import type { SigningIdentity } from './read-pkcs12';
import { encryptPrivateKey, type SealingKey } from './sealing-key';

/**
 * Installs a certificate as the place's current one, in the caller's transaction with its audit row.
 * The one it replaces is retired, not deleted: copies sealed with it name it, and a reader checks
 * them against the certificate inside the signature anyway.
 */
export async function installCertificate(
	tx: Tx,
	key: SealingKey,
	input: { placeId: number; identity: SigningIdentity; demo: boolean; actorId: number | null; ip?: string },
	now = new Date()
): Promise<{ certificateId: number }> {
	const info = certificateInfo(input.identity.certificate);
	const chainPem = input.identity.chain.map((der) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`).join('');
	const [retired] = await tx
		.update(sealingCertificates)
		.set({ retiredAt: now })
		.where(and(eq(sealingCertificates.placeId, input.placeId), isNull(sealingCertificates.retiredAt)))
		.returning({ id: sealingCertificates.id });
	const [row] = await tx
		.insert(sealingCertificates)
		.values({
			placeId: input.placeId,
			...info,
			certificate: input.identity.certificate,
			chainPem,
			keyCiphertext: encryptPrivateKey(key, input.identity.privateKey),
			sealingKeyId: key.id,
			demo: input.demo,
			uploadedById: input.actorId,
			uploadedAt: now
		})
		.returning({ id: sealingCertificates.id });
	await recordAudit(tx, {
		action: 'sealing_certificate.install',
		actorId: input.actorId,
		subjectType: 'place',
		subjectId: input.placeId,
		ip: input.ip,
		data: {
			certificateId: row.id,
			placeId: input.placeId,
			fingerprint: info.fingerprint,
			subject: info.subject,
			notAfter: info.notAfter.toISOString(),
			demo: input.demo,
			retiredId: retired?.id ?? null
		}
	});
	return { certificateId: row.id };
}

/** The DER certificates of a stored PEM chain. */
export function chainFromPem(pem: string): Uint8Array[] {
	return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}
