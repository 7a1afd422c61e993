import type { Db, Tx } from '../db';
import { notices, type NoticePayload } from '../db/schema';
import type { NoticeKind } from './notice-text';
import { noticePath, smsText } from './notice-text';
import type { PendingTexts } from './pending-texts';
import type { Recipient } from './recipients';

export interface NoticeInput {
	caseId: number;
	kind: NoticeKind;
	payload: NoticePayload;
}

/**
 * Tells everyone who must act: one notice row per account (deduplicated), written with the
 * transaction of the change that causes it, so a change rolled back tells no one; and one SMS per
 * phone, added to `texts`, which the caller sends once that transaction has committed.
 */
export async function notify(tx: Db | Tx, input: NoticeInput, recipients: readonly Recipient[], now: Date, texts: PendingTexts): Promise<void> {
	const userIds = [...new Set(recipients.map((r) => r.userId).filter((id): id is number => id !== null))];
	if (userIds.length > 0) {
		await tx.insert(notices).values(userIds.map((userId) => ({ userId, caseId: input.caseId, kind: input.kind, payload: input.payload, createdAt: now })));
	}
	const phones = [...new Set(recipients.map((r) => r.phone).filter((p): p is string => !!p))];
	const text = smsText(input.kind, input.payload, noticePath(input.kind, input.caseId, input.payload));
	for (const phone of phones) texts.add({ phone, caseId: input.caseId, ...text });
}
