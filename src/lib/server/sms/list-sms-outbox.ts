import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { smsOutbox } from '../db/schema';
import { smsOutboxEnabled } from '../env';
import { AppError } from '../errors';

export interface OutboxMessage {
	id: number;
	phone: string;
	caseId: number | null;
	body: string;
	createdAt: Date;
}

/**
 * The development outbox, newest first: what would have gone out by SMS. It holds one-time codes, so
 * only an administrator reads it, only while the outbox stands in for a provider (SMS_OUTBOX=1), and
 * every reading is audited. Staff working a case never see it: reading a party's code would let them
 * sign in the party's name.
 */
export async function listSmsOutbox(
	db: Db,
	viewer: Viewer,
	input: { phone?: string | null },
	options: { enabled?: boolean } = {}
): Promise<{ phone: string | null; messages: OutboxMessage[] }> {
	if (!(options.enabled ?? smsOutboxEnabled())) throw new AppError('not_found');
	if (!viewer.roles.some((r) => r.role === 'admin')) throw new AppError('forbidden');
	const phone = input.phone && /^\d{5,20}$/.test(input.phone) ? input.phone : null;
	const where: SQL[] = [];
	if (phone) where.push(eq(smsOutbox.phone, phone));
	return db.transaction(async (tx) => {
		const messages = await tx
			.select({ id: smsOutbox.id, phone: smsOutbox.phone, caseId: smsOutbox.caseId, body: smsOutbox.body, createdAt: smsOutbox.createdAt })
			.from(smsOutbox)
			.where(and(...where))
			.orderBy(desc(smsOutbox.id))
			.limit(100);
		await recordAudit(tx, { action: 'sms.outbox_view', actorId: viewer.id, data: { phone, messages: messages.length } });
		return { phone, messages };
	});
}
