import { smsOutbox } from '../db/schema';
import { env, type Env } from '../env';
import { AppError } from '../errors';
import { logger } from '../logger';
import { aliyunSmsSender } from './aliyun-sms';
import type { SmsSender } from './sms-types';

export type { SmsMessage, SmsSender, SmsTemplate } from './sms-types';

export const outboxSender: SmsSender = {
	name: 'outbox',
	async send(db, message, now) {
		await db.insert(smsOutbox).values({ caseId: message.caseId, phone: message.phone, body: message.body, createdAt: now });
	}
};

/** Production without a configured provider: nothing is sent, and nobody is told a code is on its way. */
export const unconfiguredSender: SmsSender = {
	name: 'none',
	unavailable: 'sg_err_sms_unconfigured',
	async send() {
		throw new AppError('unavailable', { _: 'sg_err_sms_unconfigured' });
	}
};

type SmsEnv = Pick<
	Env,
	| 'SMS_OUTBOX'
	| 'ALIYUN_SMS_ACCESS_KEY_ID'
	| 'ALIYUN_SMS_ACCESS_KEY_SECRET'
	| 'ALIYUN_SMS_SIGN_NAME'
	| 'ALIYUN_SMS_TEMPLATE_CODE'
	| 'ALIYUN_SMS_LINK_TEMPLATE_CODE'
	| 'ALIYUN_SMS_NOTICE_TEMPLATE_CODE'
	| 'ALIYUN_SMS_ENDPOINT'
>;

/** The sender a configuration asks for: the outbox only behind its explicit flag, else the provider. */
export function smsSenderFor(config: SmsEnv): SmsSender {
	if (config.SMS_OUTBOX === '1') return outboxSender;
	const { ALIYUN_SMS_ACCESS_KEY_ID: accessKeyId, ALIYUN_SMS_ACCESS_KEY_SECRET: accessKeySecret, ALIYUN_SMS_SIGN_NAME: signName } = config;
	const codeTemplate = config.ALIYUN_SMS_TEMPLATE_CODE;
	if (!accessKeyId || !accessKeySecret || !signName || !codeTemplate) return unconfiguredSender;
	return aliyunSmsSender({ accessKeyId, accessKeySecret, signName, codeTemplate, linkTemplate: config.ALIYUN_SMS_LINK_TEMPLATE_CODE, noticeTemplate: config.ALIYUN_SMS_NOTICE_TEMPLATE_CODE, endpoint: config.ALIYUN_SMS_ENDPOINT });
}

let configured: SmsSender | undefined;

/** The configured sender of this process. */
export function smsSender(): SmsSender {
	if (!configured) {
		configured = smsSenderFor(env);
		if (configured === unconfiguredSender) logger.warn('no SMS provider configured (ALIYUN_SMS_*) and SMS_OUTBOX is not 1: signing codes cannot be sent');
		if (configured === outboxSender && env.NODE_ENV === 'production') logger.warn('SMS_OUTBOX=1: text messages stay in the development outbox, nothing reaches a phone');
	}
	return configured;
}
