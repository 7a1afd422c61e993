import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { isAtOrBelow } from '../cases/permissions';
import type { Db, Tx } from '../db';
import { committeeSeals, places } from '../db/schema';
import { AppError } from '../errors';

export const MAX_SEAL_BYTES = 500 * 1024;

export interface UploadSealOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Sets the seal image of a place acting as a people's mediation committee (replacing any earlier one).
 * Admins only, for places at or below their own; the image must be a PNG that decodes.
 */
export async function uploadSeal(
	db: Db | Tx,
	actor: Viewer | null,
	input: { placeId: unknown; bytes: Uint8Array },
	options: UploadSealOptions = {}
): Promise<void> {
	const { ip, now = new Date() } = options;
	const { bytes } = input;
	if (actor && !actor.roles.some((r) => r.role === 'admin')) throw new AppError('forbidden');
	const placeId = Number(input.placeId);
	const [place] = Number.isSafeInteger(placeId) ? await db.select({ id: places.id, path: places.path }).from(places).where(eq(places.id, placeId)) : [];
	if (!place || (actor && !isAtOrBelow(place.path, actor.place.path))) throw new AppError('invalid', { placeId: 'err_invalid' });
	if (bytes.length === 0 || bytes.length > MAX_SEAL_BYTES) throw new AppError('invalid', { seal: 'err_seal_file' });
	try {
		PNG.sync.read(Buffer.from(bytes));
	} catch {
		throw new AppError('invalid', { seal: 'err_seal_file' });
	}
	const hash = encodeHexLowerCase(sha256(bytes));
	const write = async (tx: Tx) => {
		await tx
			.insert(committeeSeals)
			.values({ placeId, image: bytes, imageSha256: hash, uploadedById: actor?.id ?? null, uploadedAt: now })
			.onConflictDoUpdate({ target: committeeSeals.placeId, set: { image: bytes, imageSha256: hash, uploadedById: actor?.id ?? null, uploadedAt: now } });
		await recordAudit(tx, { action: 'committee_seal.upload', actorId: actor?.id ?? null, subjectType: 'place', subjectId: placeId, ip, data: { placeId, sha256: hash } });
	};
	await db.transaction(write);
}
