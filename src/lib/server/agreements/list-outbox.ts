import { desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { smsOutbox } from '../db/schema';
import { loadAgreementCase } from './agreement-case';

export interface OutboxMessage {
	id: number;
	phone: string;
	body: string;
	createdAt: Date;
}

/**
 * The development sender's messages about one case, newest first: what the parties would have
 * received by SMS. Only the mediator running the case reads them (they hold one-time codes).
 */
export async function listOutbox(db: Db, viewer: Viewer, caseId: unknown): Promise<{ caseNumber: string; caseId: number; messages: OutboxMessage[] }> {
	const { row } = await loadAgreementCase(db, viewer, caseId, 'run');
	const messages = await db
		.select({ id: smsOutbox.id, phone: smsOutbox.phone, body: smsOutbox.body, createdAt: smsOutbox.createdAt })
		.from(smsOutbox)
		.where(eq(smsOutbox.caseId, row.id))
		.orderBy(desc(smsOutbox.createdAt), desc(smsOutbox.id))
		.limit(100);
	return { caseNumber: row.number, caseId: row.id, messages };
}
