import { smsSender, type SmsSender } from '../agreements/sms-sender';
import type { Db, Tx } from '../db';
import { notices, type NoticePayload } from '../db/schema';
import type { NoticeKind } from './notice-text';
import { noticePath, smsBody } from './notice-text';
import type { Recipient } from './recipients';

export interface NoticeInput {
	caseId: number;
	kind: NoticeKind;
	payload: NoticePayload;
}

/**
 * Tells everyone who must act: one notice row per account (deduplicated) and one SMS per phone.
 * Called with the transaction of the change that causes it, so a change rolled back tells no one.
 * The development sender writes its outbox in the same transaction; a real provider sends when called,
 * which is why callers make this the last statement of their transaction.
 */
export async function notify(
	tx: Db | Tx,
	input: NoticeInput,
	recipients: readonly Recipient[],
	now: Date,
	sender: SmsSender = smsSender()
): Promise<void> {
	const userIds = [...new Set(recipients.map((r) => r.userId).filter((id): id is number => id !== null))];
	if (userIds.length > 0) {
		await tx.insert(notices).values(userIds.map((userId) => ({ userId, caseId: input.caseId, kind: input.kind, payload: input.payload, createdAt: now })));
	}
	const phones = [...new Set(recipients.map((r) => r.phone).filter((p): p is string => !!p))];
	const body = smsBody(input.kind, input.payload, noticePath(input.kind, input.caseId, input.payload));
	for (const phone of phones) await sender.send(tx, { phone, body, caseId: input.caseId }, now);
}
