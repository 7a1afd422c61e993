import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Process configuration, read and validated once. Imported by the production entry (plain Node) and by
 * SvelteKit server code alike, so it reads `process.env` and never `$env`.
 */
const optionalText = z
	.string()
	.optional()
	.transform((v) => (v ? v : undefined));

const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	DATA_DIR: z.string().min(1).default('./data'),
	HOST: z.string().default('0.0.0.0'),
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	ORIGIN: z.string().url().optional(),
	SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
	COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	MIGRATIONS_DIR: z.string().default('./drizzle'),
	/** Redis shared by several instances (live records relayed between them); unset, one instance. */
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	/** Header naming the client's address behind a proxy, as adapter-node reads it (e.g. x-forwarded-for). */
	ADDRESS_HEADER: z
		.string()
		.transform((h) => h.toLowerCase())
		.optional(),
	/** With ADDRESS_HEADER=x-forwarded-for: how many trusted proxies, counted from the right. */
	XFF_DEPTH: z.coerce.number().int().min(1).default(1),
	/** Live-record sockets one person, and one client address, may hold open on an instance. */
	COLLAB_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).default(20),
	COLLAB_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).default(200),
	/** Bearer token for /metrics; unset, /metrics answers only requests from this machine (loopback). */
	METRICS_TOKEN: z.string().min(16).optional().or(z.literal('').transform(() => undefined)),
	/**
	 * Development only: `1` keeps text messages in `sms_outbox` (read by an administrator on /admin/outbox)
	 * instead of sending them through a provider. Never set in production.
	 */
	SMS_OUTBOX: z.enum(['0', '1']).default('0'),
	/** Alibaba Cloud SMS (Dysmsapi SendSms): the provider used when SMS_OUTBOX is not 1; see sms-sender.ts. */
	ALIYUN_SMS_ACCESS_KEY_ID: optionalText,
	ALIYUN_SMS_ACCESS_KEY_SECRET: optionalText,
	/** The approved signature (签名), e.g. 某某县人民调解. */
	ALIYUN_SMS_SIGN_NAME: optionalText,
	/** The approved verification-code template, with the variable ${code}. */
	ALIYUN_SMS_TEMPLATE_CODE: optionalText,
	/** The approved notification template for a signing link, with the variable ${link}; unset, links are not texted. */
	ALIYUN_SMS_LINK_TEMPLATE_CODE: optionalText,
	/** An approved notice template with `${what}` and `${link}`; without it notices stay in the app. */
	ALIYUN_SMS_NOTICE_TEMPLATE_CODE: optionalText,
	ALIYUN_SMS_ENDPOINT: z.string().url().default('https://dysmsapi.aliyuncs.com')
});

export type Env = z.infer<typeof schema> & { dataDir: string; migrationsDir: string };

function readEnv(): Env {
	const parsed = schema.safeParse(process.env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
	}
	return {
		...parsed.data,
		dataDir: resolve(parsed.data.DATA_DIR),
		migrationsDir: resolve(parsed.data.MIGRATIONS_DIR)
	};
}

export const env = readEnv();

/** Forced Secure flag for cookies, or null for "Secure when the request is HTTPS". */
export const secureCookies: boolean | null = env.COOKIE_SECURE === 'auto' ? null : env.COOKIE_SECURE === 'true';

/** Whether the development SMS outbox stands in for a provider (SMS_OUTBOX=1). */
export function smsOutboxEnabled(): boolean {
	return env.SMS_OUTBOX === '1';
}
