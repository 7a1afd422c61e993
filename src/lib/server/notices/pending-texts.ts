import { smsSender, type SmsMessage, type SmsSender } from '../sms/sms-sender';
import type { Db } from '../db';
import { logger } from '../logger';

/**
 * Texts gathered inside a change's transaction and sent once it has committed. A provider's text
 * cannot be called back, so sending inside the transaction would tell people of a change that then
 * rolls back; the notice rows themselves are written in the transaction. A text that fails is logged
 * and does not undo the change: the notice is in the app either way.
 */
export class PendingTexts {
	private readonly texts: SmsMessage[] = [];

	add(message: SmsMessage): void {
		this.texts.push(message);
	}

	get size(): number {
		return this.texts.length;
	}

	async send(db: Db, now: Date, sender: SmsSender = smsSender()): Promise<void> {
		for (const message of this.texts.splice(0)) {
			try {
				await sender.send(db, message, now);
			} catch (err) {
				logger.warn({ err: String(err), caseId: message.caseId, phoneTail: message.phone.slice(-4) }, 'notice text not sent');
			}
		}
	}
}
