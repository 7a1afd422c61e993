import type { Db, Tx } from '../db';
import { smsOutbox } from '../db/schema';

/** One text message to a phone, about a case (so the outbox can be shown per case). */
export interface SmsMessage {
	phone: string;
	body: string;
	caseId: number | null;
}

/**
 * Where text messages go. A provider's gateway implements this in one file; the development sender
 * keeps them in `sms_outbox`, which the mediator reads on the case's outbox page (no message leaves
 * the machine). `name` is recorded in the audit row of each code sent.
 */
export interface SmsSender {
	readonly name: string;
	send(db: Db | Tx, message: SmsMessage, now: Date): Promise<void>;
}

export const outboxSender: SmsSender = {
	name: 'outbox',
	async send(db, message, now) {
		await db.insert(smsOutbox).values({ caseId: message.caseId, phone: message.phone, body: message.body, createdAt: now });
	}
};

/** The configured sender. Only the development outbox exists until a provider is contracted. */
export function smsSender(): SmsSender {
	return outboxSender;
}
