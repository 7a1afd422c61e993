import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { isAtOrBelow } from '../cases/permissions';
import type { Db } from '../db';
import { places } from '../db/schema';
import { AppError } from '../errors';
import { installCertificate } from './install-certificate';
import { readPkcs12 } from './read-pkcs12';
import { sealingKey } from './sealing-key';

export interface UploadCertificateOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * An admin installs a committee's (or the county's) sealing certificate from the PKCS#12 file its
 * certification authority issued, with the file's password. Admins only, for places at or below their
 * own. The password is used to open the file and then dropped; it is never stored or logged.
 */
export async function uploadCertificate(
	db: Db,
	actor: Viewer,
	input: { placeId: unknown; file: Uint8Array; password: string }, options: UploadCertificateOptions = {}
): Promise<{ certificateId: number }> {
	const { ip, now = new Date() } = options;
	if (!actor.roles.some((r) => r.role === 'admin')) throw new AppError('forbidden');
	const placeId = Number(input.placeId);
	const [place] = Number.isSafeInteger(placeId) ? await db.select({ id: places.id, path: places.path }).from(places).where(eq(places.id, placeId)) : [];
	if (!place || !isAtOrBelow(place.path, actor.place.path)) throw new AppError('invalid', { placeId: 'err_invalid' });
	const key = sealingKey();
	if (!key) throw new AppError('unavailable', { _: 'err_cert_no_sealing_key' });
	const identity = readPkcs12(input.file, input.password, now);
	return db.transaction((tx) => installCertificate(tx, key, { placeId, identity, demo: false, actorId: actor.id, ip }, now));
}
