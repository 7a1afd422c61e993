import { and, isNull, eq } from 'drizzle-orm';
import { committeeName } from '../agreements/agreement-content';
import type { Tx } from '../db';
import { places, sealingCertificates } from '../db/schema';
import { logger } from '../logger';
import { makeDemoCertificate } from './demo-certificate';
import { installCertificate } from './install-certificate';
import { sealingKey } from './sealing-key';

/**
 * Gives a county (a top-level place) a self-signed demonstration certificate when it has none, so
 * that every copy in development and the demo is sealed. Never in production use: it is called by
 * the demo seed and, in development, at start. Without a sealing key nothing is made (and said).
 */
export async function ensureDemoCertificate(tx: Tx, countyId: number, now = new Date()): Promise<boolean> {
	const key = sealingKey();
	if (!key) {
		logger.warn('no SEALING_KEY: the demo certificate was not made, copies stay unsealed');
		return false;
	}
	const [existing] = await tx
		.select({ id: sealingCertificates.id })
		.from(sealingCertificates)
		.where(and(eq(sealingCertificates.placeId, countyId), isNull(sealingCertificates.retiredAt)));
	if (existing) return false;
	const [county] = await tx.select({ name: places.name }).from(places).where(eq(places.id, countyId));
	const identity = await makeDemoCertificate(committeeName(county.name), now);
	await installCertificate(tx, key, { placeId: countyId, identity, demo: true, actorId: null }, now);
	return true;
}

/** Development start: every county without a certificate gets a demo one. */
export async function ensureDemoCertificates(tx: Tx, now = new Date()): Promise<void> {
	const counties = await tx.select({ id: places.id }).from(places).where(isNull(places.parentId));
	for (const c of counties) await ensureDemoCertificate(tx, c.id, now);
}
