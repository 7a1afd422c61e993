import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { agreementSignatures, caseParties, users } from '../db/schema';

/**
 * The signing record (签署过程记录) printed on the last page of each copy, as Documenso and DocuSeal
 * attach a certificate of completion: every signature and refusal of the agreement, in order, with
 * how the person was identified and how they signed, when, from where (masked) and on what kind of
 * device, and the SHA-256 of the text they signed. Personal data is masked as everywhere else
 * (个人信息保护法): the address to its first half, the phone to its last four digits.
 */
export interface SigningRecordEntry {
	role: string;
	name: string;
	/** 个人签署链接 + 验证码（尾号 0022） / 本人账号登录 */
	identified: string;
	/** 手写签名 / 按手印 / 拒绝签署 */
	how: string;
	at: Date;
	address: string;
	device: string;
	/** The frozen text's hash the answer was given on. */
	hash: string;
	/** Given on an earlier revision, voided when the text was changed. */
	voided: boolean;
}

const SIDE = { applicant: '申请人', respondent: '被申请人' } as const;

/** 192.168.31.7 → 192.168.*.*; 2408:8207:1234::1 → 2408:8207:*. Enough to tell networks apart, not to find a home. */
export function maskAddress(ip: string | null): string {
	if (!ip) return '未记录';
	const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/i.exec(ip);
	if (v4) return `${v4[1]}.${v4[2]}.*.*`;
	const groups = ip.split(':').filter(Boolean);
	return groups.length >= 2 ? `${groups[0]}:${groups[1]}:*` : '*';
}

/**
 * The device family of a user agent, in words a court clerk reads. A handful of families is all the
 * record prints, so a few patterns do (a user-agent library would add detail we must not print).
 */
export function deviceFamily(userAgent: string | null): string {
	if (!userAgent) return '未记录';
	const ua = userAgent;
	if (/iPhone/.test(ua)) return 'iPhone 手机';
	if (/iPad/.test(ua)) return 'iPad 平板';
	if (/HarmonyOS|OpenHarmony/i.test(ua)) return '鸿蒙设备';
	if (/Android/.test(ua)) return /Mobile/.test(ua) ? 'Android 手机' : 'Android 平板';
	if (/Windows/.test(ua)) return 'Windows 电脑';
	if (/Macintosh|Mac OS X/.test(ua)) return 'Mac 电脑';
	if (/Linux|CrOS/.test(ua)) return 'Linux 电脑';
	return '其他设备';
}

/** Every answer on the agreement, in the order given (refusals and answers voided by a revision included). */
export async function loadSigningRecord(db: Db | Tx, agreementId: number): Promise<SigningRecordEntry[]> {
	const rows = await db
		.select({
			role: agreementSignatures.role,
			side: caseParties.side,
			partyName: caseParties.name,
			typedName: agreementSignatures.typedName,
			userName: users.name,
			channel: agreementSignatures.channel,
			phoneTail: agreementSignatures.phoneTail,
			refused: agreementSignatures.refused,
			mark: agreementSignatures.mark,
			signedAt: agreementSignatures.signedAt,
			ip: agreementSignatures.ip,
			userAgent: agreementSignatures.userAgent,
			hash: agreementSignatures.hash,
			voidedAt: agreementSignatures.voidedAt
		})
		.from(agreementSignatures)
		.leftJoin(caseParties, eq(caseParties.id, agreementSignatures.partyId))
		.leftJoin(users, eq(users.id, agreementSignatures.userId))
		.where(eq(agreementSignatures.agreementId, agreementId))
		.orderBy(asc(agreementSignatures.signedAt), asc(agreementSignatures.id));
	return rows.map((r) => ({
		role: r.role === 'mediator' ? '人民调解员' : SIDE[r.side ?? 'applicant'],
		name: r.typedName ?? r.partyName ?? r.userName ?? '',
		identified: r.channel === 'account' ? '本人账号登录' : `个人签署链接 + 短信验证码（尾号 ${r.phoneTail ?? '****'}）`,
		how: r.refused ? '拒绝签署' : r.mark === 'thumbprint' ? '按手印' : r.role === 'mediator' ? '手写签名，加盖调解委员会印章' : '手写签名',
		at: r.signedAt,
		address: maskAddress(r.ip),
		device: deviceFamily(r.userAgent),
		hash: r.hash,
		voided: r.voidedAt !== null
	}));
}
