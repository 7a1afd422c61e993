import type { Db, Tx } from '../db';

/**
 * What a provider's approved template says for a message. Providers in China send only reviewed
 * templates, so a message that should reach a real phone names its template and the values to fill
 * in; `body` is the same text written out, kept by the development outbox.
 */
export type SmsTemplate =
	/** A one-time code (signing, the party's copy, a party's phone sign-in): ALIYUN_SMS_TEMPLATE_CODE. */
	| { name: 'verification_code'; params: { code: string } }
	/** A personal signing link: ALIYUN_SMS_LINK_TEMPLATE_CODE. */
	| { name: 'signing_link'; params: { link: string } }
	/**
	 * Any other notice (how to sign in, a panel invitation, a session, a term due): ALIYUN_SMS_NOTICE_TEMPLATE_CODE,
	 * e.g. "您有一条调解通知：${what}，请打开 ${link} 查看。" — a short summary and the page to open.
	 */
	| { name: 'notice'; params: { what: string; link: string } };

/** One text message to a phone, about a case. */
export interface SmsMessage {
	phone: string;
	body: string;
	caseId: number | null;
	template?: SmsTemplate;
}

/**
 * Where text messages go: the development outbox (`SMS_OUTBOX=1`) or a provider's gateway. `name` is
 * recorded in the audit row of each code sent.
 *
 * A provider sends over the network when `send` is called, and a message cannot be called back: call
 * `send` after the transaction of the change it reports has committed (passing `db`, not the `tx`), so
 * a rolled-back change texts nobody. A failure throws an `AppError('unavailable')` whose `_` names the
 * message to show. The outbox writes through whichever connection it is given.
 */
export interface SmsSender {
	readonly name: string;
	/** Set when no message can be sent at all (the message key why), so callers refuse before any work. */
	readonly unavailable?: string;
	send(db: Db | Tx, message: SmsMessage, now: Date): Promise<void>;
}
