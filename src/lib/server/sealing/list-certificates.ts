import { asc, desc, eq, like, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { places, sealingCertificates } from '../db/schema';
import { AppError } from '../errors';
import { certificateState, type CertificateState } from './certificate-info';
import { currentCertificateFor } from './committee-certificate';

/** A certificate as the admin page lists it: never its key, never its bytes. */
export interface CertificateRow {
	id: number;
	placeId: number;
	placeName: string;
	subject: string;
	issuer: string;
	serialNumber: string;
	notBefore: Date;
	notAfter: Date;
	fingerprint: string;
	demo: boolean;
	uploadedAt: Date;
	retiredAt: Date | null;
	/** For the current ones: valid, expiring (within 30 days), expired, not yet valid. */
	state: CertificateState | 'retired';
}

export interface CertificatePage {
	/** Places the admin may install a certificate for (their own and below), in tree order. */
	places: { id: number; name: string; depth: number }[];
	/** Current certificates first, then retired ones, newest first. */
	certificates: CertificateRow[];
}

function requireAdmin(actor: Viewer): void {
	if (!actor.roles.some((r) => r.role === 'admin')) throw new AppError('forbidden');
}

export interface ListCertificatesOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** The certificates of the places at or below the admin's own. */
export async function listCertificates(db: Db, actor: Viewer, options: ListCertificatesOptions = {}): Promise<CertificatePage> {
	const { now = new Date() } = options;
	requireAdmin(actor);
	const scope = like(places.path, `${actor.place.path}%`);
	const [placeRows, certRows] = await Promise.all([
		db.select({ id: places.id, name: places.name, path: places.path }).from(places).where(scope).orderBy(asc(places.path)),
		db
			.select({
				id: sealingCertificates.id,
				placeId: sealingCertificates.placeId,
				placeName: places.name,
				subject: sealingCertificates.subject,
				issuer: sealingCertificates.issuer,
				serialNumber: sealingCertificates.serialNumber,
				notBefore: sealingCertificates.notBefore,
				notAfter: sealingCertificates.notAfter,
				fingerprint: sealingCertificates.fingerprint,
				demo: sealingCertificates.demo,
				uploadedAt: sealingCertificates.uploadedAt,
				retiredAt: sealingCertificates.retiredAt
			})
			.from(sealingCertificates)
			.innerJoin(places, eq(places.id, sealingCertificates.placeId))
			.where(scope)
			.orderBy(asc(sql`${sealingCertificates.retiredAt} is not null`), desc(sealingCertificates.uploadedAt))
	]);
	return {
		places: placeRows.map((p) => ({ id: p.id, name: p.name, depth: p.path.split('/').length - 3 })),
		certificates: certRows.map((c) => ({ ...c, state: c.retiredAt ? 'retired' : certificateState(c, now) }))
	};
}

export interface SealingNoticeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * What the admin home page says about sealing for the admin's own place: `missing` (copies go out
 * unsealed), `demo` (a self-signed demonstration certificate), `expiring`/`expired`, or null when a
 * real certificate is in force for more than 30 days.
 */
export async function sealingNotice(db: Db, actor: Viewer, options: SealingNoticeOptions = {}): Promise<{ state: 'missing' | 'demo' | 'expiring' | 'expired'; notAfter: Date | null } | null> {
	const { now = new Date() } = options;
	requireAdmin(actor);
	const current = await currentCertificateFor(db, actor.place.id);
	if (!current) return { state: 'missing', notAfter: null };
	const state = certificateState(current, now);
	if (state === 'expired' || state === 'expiring') return { state, notAfter: current.notAfter };
	if (current.demo) return { state: 'demo', notAfter: current.notAfter };
	return null;
}
