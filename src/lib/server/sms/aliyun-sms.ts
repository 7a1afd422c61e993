import { createHmac, randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import { logger } from '../logger';
import type { SmsMessage, SmsSender } from './sms-types';

/**
 * Alibaba Cloud SMS (阿里云短信服务, Dysmsapi 2017-05-25 SendSms), which many county governments
 * already contract, called over its documented RPC API with signature version 1.0 (HMAC-SHA1).
 * Written here rather than with the vendor SDK: one signed POST is all we need, and the SDK would
 * bring a large dependency tree for it.
 */
export interface AliyunSmsConfig {
	accessKeyId: string;
	accessKeySecret: string;
	/** The approved signature (签名). */
	signName: string;
	/** Verification-code template, variable `code`. */
	codeTemplate: string;
	/** Signing-link template, variable `link`; unset, links are not texted. */
	linkTemplate?: string;
	noticeTemplate?: string;
	/** https://dysmsapi.aliyuncs.com, or a test's stub. */
	endpoint: string;
	timeoutMs?: number;
}

/** RFC 3986 percent-encoding as the RPC signature requires: only A–Z a–z 0–9 - _ . ~ stay as they are. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature v1.0 of an RPC request: Base64(HMAC-SHA1(secret + "&", METHOD&%2F&encode(sorted query))). */
export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
	const canonical = Object.keys(params)
		.filter((k) => k !== 'Signature')
		.sort()
		.map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
		.join('&');
	const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
	return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** The template and its variables for a message; a message without one cannot go through a provider. */
function templateOf(config: AliyunSmsConfig, message: SmsMessage): { code: string; params: Record<string, string> } {
	const t = message.template;
	if (t?.name === 'verification_code') return { code: config.codeTemplate, params: t.params };
	if (t?.name === 'signing_link' && config.linkTemplate) return { code: config.linkTemplate, params: t.params };
	if (t?.name === 'notice' && config.noticeTemplate) return { code: config.noticeTemplate, params: t.params };
	throw new AppError('unavailable', { _: 'sg_err_sms_no_template' });
}

export function aliyunSmsSender(config: AliyunSmsConfig): SmsSender {
	return {
		name: 'aliyun',
		async send(_db, message, now) {
			const template = templateOf(config, message);
			const params: Record<string, string> = {
				AccessKeyId: config.accessKeyId,
				Action: 'SendSms',
				Format: 'JSON',
				PhoneNumbers: message.phone,
				RegionId: 'cn-hangzhou',
				SignName: config.signName,
				SignatureMethod: 'HMAC-SHA1',
				SignatureNonce: randomUUID(),
				SignatureVersion: '1.0',
				TemplateCode: template.code,
				TemplateParam: JSON.stringify(template.params),
				Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
				Version: '2017-05-25'
			};
			params.Signature = rpcSignature('POST', params, config.accessKeySecret);
			let answer: { Code?: string; Message?: string; RequestId?: string };
			try {
				const response = await fetch(`${config.endpoint.replace(/\/$/, '')}/`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams(params).toString(),
					signal: AbortSignal.timeout(config.timeoutMs ?? 10_000)
				});
				answer = (await response.json()) as typeof answer;
			} catch (err) {
				logger.error({ err, provider: 'aliyun' }, 'SMS provider unreachable');
				throw new AppError('unavailable', { _: 'sg_err_sms_failed' });
			}
			if (answer.Code !== 'OK') {
				// The provider's code (e.g. isv.BUSINESS_LIMIT_CONTROL) is for the operator's log, not the party.
				logger.error({ provider: 'aliyun', code: answer.Code, providerMessage: answer.Message, requestId: answer.RequestId }, 'SMS provider refused a message');
				throw new AppError('unavailable', { _: 'sg_err_sms_failed' });
			}
		}
	};
}
