import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { checkPdfSignature, type SignatureCheck } from './check-pdf-signature';
import { readSignedText } from './read-signed-text';

/** The offline verdict on a copy: the signature check plus the signed text's hash. */
export interface OfflineVerification {
	ok: boolean;
	signature: SignatureCheck;
	/** `match`: the attached text hashes to the stated hash; `mismatch`; `missing`: no attached text or stated hash. */
	text: 'match' | 'mismatch' | 'missing';
	textHash: string | null;
	statedHash: string | null;
}

export async function verifyPdfOffline(pdf: Uint8Array): Promise<OfflineVerification> {
	const signature = await checkPdfSignature(pdf);
	let text: OfflineVerification['text'] = 'missing';
	let textHash: string | null = null;
	let statedHash: string | null = null;
	try {
		const read = await readSignedText(pdf);
		statedHash = read.statedHash;
		if (read.text) textHash = encodeHexLowerCase(sha256(read.text));
		if (textHash && statedHash) text = textHash === statedHash ? 'match' : 'mismatch';
	} catch {
		text = 'missing';
	}
	const timestampOk = signature.timestamp === null || signature.timestamp.verified;
	return { ok: signature.status === 'valid' && timestampOk && text === 'match', signature, text, textHash, statedHash };
}

const at = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') + '（北京时间）';

/** The verdict in Chinese, one finding a line, the verdict first. */
export function describeOffline(r: OfflineVerification): string[] {
	const s = r.signature;
	const lines = [r.ok ? '结论：有效——本副本带有数字签名，签名后未被改动。' : '结论：无效——本副本未通过核验，请勿作为原件使用。'];
	lines.push(
		{
			none: '数字签名：无（本副本未加数字签名）',
			valid: '数字签名：有效，覆盖整个文件',
			invalid: s.wholeFile ? '数字签名：无效——签名后文件已被改动' : '数字签名：无效——签名未覆盖整个文件',
			unreadable: '数字签名：无法读取'
		}[s.status]
	);
	if (s.signer) {
		lines.push(`签名人证书：${s.signer.subject}`);
		lines.push(`颁发者：${s.signer.issuer}${s.signer.selfSigned ? '（自签名证书，未经电子认证服务机构认证）' : ''}`);
		lines.push(`证书有效期：${at(s.signer.notBefore)} 至 ${at(s.signer.notAfter)}`);
		lines.push(`证书链：${s.chainVerified ? '逐级验证通过' : '验证未通过'}`);
	}
	if (s.timestamp) lines.push(`可信时间戳：${s.timestamp.verified ? '有效' : '无效'}，时间 ${at(s.timestamp.time)}${s.timestamp.authority ? `，时间戳服务 ${s.timestamp.authority}` : ''}`);
	else if (s.status !== 'none') lines.push('可信时间戳：无');
	lines.push(
		{
			match: `协议文本哈希：一致（SHA-256 ${r.textHash}）`,
			mismatch: `协议文本哈希：不一致——附带文本 ${r.textHash}，副本所载 ${r.statedHash}`,
			missing: '协议文本哈希：副本中没有可核对的协议文本'
		}[r.text]
	);
	return lines;
}
