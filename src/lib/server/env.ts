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
	/**
	 * A streaming standby of DATABASE_URL's server: statistics, reports, circulars and exports read from
	 * it (db/read-replica.ts). Unset, every read goes to DATABASE_URL, as on the embedded database.
	 */
	DATABASE_READ_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL must be a postgres:// URL')
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
	/** Alibaba Cloud SMS (Dysmsapi SendSms): the provider used when SMS_OUTBOX is not 1; see sms/sms-sender.ts. */
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
	ALIYUN_SMS_ENDPOINT: z.string().url().default('https://dysmsapi.aliyuncs.com'),
	/**
	 * coturn for calls (issue 14): its URLs, comma-separated (`turn:turn.example.cn:3478?transport=udp,turns:…`),
	 * and the `static-auth-secret` of its `use-auth-secret` mode. The app hands out credentials that expire
	 * after TURN_TTL_SECONDS (the TURN REST API scheme); unset, calls work on a LAN only and say so.
	 */
	TURN_URLS: optionalText,
	TURN_SECRET: z.string().min(16).optional().or(z.literal('').transform(() => undefined)),
	TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(4 * 3600),
	/**
	 * The key that encrypts the committees' sealing keys at rest: 32 random bytes, base64
	 * (`openssl rand -base64 32`). Unset on the embedded database, a key file in DATA_DIR stands in.
	 */
	SEALING_KEY: z
		.string()
		.optional()
		.transform((v) => (v ? v : undefined))
		.refine((v) => v === undefined || Buffer.from(v, 'base64').length >= 32, 'SEALING_KEY must be at least 32 bytes, base64 (openssl rand -base64 32)'),
	/** An RFC 3161 timestamp authority (时间戳服务) every seal is time-stamped by; unset, seals carry no trusted time. */
	TSA_URL: z.string().url().optional().or(z.literal('').transform(() => undefined))
});

export type Env = z.infer<typeof schema> & { dataDir: string; migrationsDir: string };

function readEnv(): Env {
	const parsed = schema.safeParse(process.env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
	}
	if (parsed.data.DATABASE_READ_URL && !parsed.data.DATABASE_URL) {
		throw new Error('Invalid configuration:\n  DATABASE_READ_URL: a standby is read only beside its primary; set DATABASE_URL too');
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
