/**
 * How a signature was made, printed under it on the agreement (as DocuSeal prints its audit trail):
 * when, from which address and browser, and how the signer was authenticated — by their account, or
 * by their personal link plus a one-time code texted to the phone ending in the four digits shown.
 * A court or the other party can then see that a staff member could not have signed in a party's
 * place without that party's phone.
 */
export interface SigningEvidence {
	ip: string | null;
	userAgent: string | null;
	channel: 'account' | 'invitation';
	/** For a link signature: the last four digits of the phone the code went to. */
	phoneTail: string | null;
	/** How the name was confirmed; null on signatures from before it was recorded. */
	nameConfirmation: 'typed' | 'tapped' | 'mark_only' | null;
}

const NAME: Record<'typed' | 'tapped' | 'mark_only', string> = {
	typed: '输入姓名确认',
	tapped: '点选“我是本人”确认姓名',
	mark_only: '按手印，未输入姓名'
};

/**
 * The evidence as the lines printed under a signature (Chinese, like the rest of the legal document).
 * The signing time is printed beside the name already.
 */
export function signingEvidenceLines(e: SigningEvidence): string[] {
	const how =
		e.channel === 'account'
			? '身份验证：本人账号登录'
			: `身份验证：个人签署链接 + 发送到尾号 ${e.phoneTail ?? '****'} 手机的一次性验证码`;
	const lines = [`${how}${e.nameConfirmation ? `；${NAME[e.nameConfirmation]}` : ''}`, `签署地址（IP）：${e.ip ?? '未记录'}`];
	// Printed as recorded, but only printable ASCII: a header may hold anything, and the font has no glyph for control bytes.
	if (e.userAgent) lines.push(`浏览器：${e.userAgent.replace(/[^\x20-\x7e]/g, '?')}`);
	return lines;
}
