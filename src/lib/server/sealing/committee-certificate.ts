import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { places, sealingCertificates } from '../db/schema';
import { logger } from '../logger';
import type { SealIdentity } from './cms-signer';
import { commonName } from './certificate-info';
import { chainFromPem } from './install-certificate';
import { decryptPrivateKey, sealingKey } from './sealing-key';

/** The certificate that seals a committee's copies, ready to sign with. */
export interface CommitteeSeal {
	certificateId: number;
	subject: string;
	/** The certificate's common name, as readers show the signer. */
	signerName: string;
	demo: boolean;
	identity: SealIdentity;
}

/** The ids of a place and of every place above it, nearest first, from its materialised path (/1/4/17/). */
function lineage(path: string): number[] {
	return path.split('/').filter(Boolean).map(Number).reverse();
}

/** The current certificate row covering a place: its own, else the nearest place above it that has one. */
export async function currentCertificateFor(db: Db | Tx, placeId: number) {
	const [place] = await db.select({ path: places.path }).from(places).where(eq(places.id, placeId));
	if (!place) return null;
	const ids = lineage(place.path);
	const [row] = await db
		.select()
		.from(sealingCertificates)
		.innerJoin(places, eq(places.id, sealingCertificates.placeId))
		.where(and(inArray(sealingCertificates.placeId, ids), isNull(sealingCertificates.retiredAt)))
		.orderBy(desc(sql`length(${places.path})`))
		.limit(1);
	return row?.sealing_certificates ?? null;
}

export interface CommitteeSealOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The committee's sealing identity, or null when the copy cannot be sealed: no certificate covers
 * the committee, it is expired, or the sealing key that encrypted it is not this server's. Each
 * cause is logged as a warning (never the key), and the copy then says on its face that it is not
 * digitally sealed rather than failing the party's download.
 */
export async function committeeSeal(db: Db | Tx, committeePlaceId: number, options: CommitteeSealOptions = {}): Promise<CommitteeSeal | null> {
	const { now = new Date() } = options;
	const row = await currentCertificateFor(db, committeePlaceId);
	if (!row) return null;
	if (now > row.notAfter || now < row.notBefore) {
		logger.warn({ certificateId: row.id, notAfter: row.notAfter }, 'sealing certificate not valid now; copy left unsealed');
		return null;
	}
	const key = sealingKey();
	if (!key || key.id !== row.sealingKeyId) {
		logger.warn({ certificateId: row.id }, 'sealing certificate encrypted under another SEALING_KEY; copy left unsealed');
		return null;
	}
	return {
		certificateId: row.id,
		subject: row.subject,
		signerName: commonName(row.subject),
		demo: row.demo,
		identity: { certificate: row.certificate, chain: chainFromPem(row.chainPem), privateKey: decryptPrivateKey(key, row.keyCiphertext) }
	};
}
