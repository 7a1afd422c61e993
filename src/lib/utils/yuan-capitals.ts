/**
 * Amounts and dates as a Chinese legal document writes them. Pure; shared by the canonical agreement
 * text (where the exact characters are hashed) and the pages.
 *
 * The capitals follow the People's Bank of China rules for writing amounts on bills and settlement
 * documents (《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》): 人民币 before the figure,
 * 整 after 元 when there are no 角分, 拾 always with its digit (壹拾), one 零 for a run of zeros inside
 * the figure, no 零 where a 万 or 亿 group ends in zeros, and 零 between 元 and 分 when 角 is zero.
 * Hand-written: the npm packages for this either use floats (0.1 + 0.2 rounding errors in a legal
 * amount) or differ from these rules on 万/亿 zeros; a page of integer arithmetic is easier to check.
 */

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_GROUP = ['仟', '佰', '拾', ''];
const GROUPS = ['', '万', '亿', '万亿'];

/** A group of up to four digits (1–9999) without leading zeros; one 零 for each inner run of zeros. */
function group(n: number): string {
	const digits = String(n).padStart(4, '0');
	let out = '';
	let zero = false;
	for (let i = 0; i < 4; i++) {
		const d = Number(digits[i]);
		if (d === 0) {
			zero = out !== '';
			continue;
		}
		if (zero) out += '零';
		zero = false;
		out += DIGITS[d] + IN_GROUP[i];
	}
	return out;
}

/** Whole yuan in capitals without 元: 50000 → 伍万, 1005000 → 壹佰万零伍仟. Empty for 0. */
function yuanCapitals(yuan: number): string {
	const groups: number[] = [];
	for (let n = yuan; n > 0; n = Math.floor(n / 10_000)) groups.push(n % 10_000);
	let out = '';
	let zero = false;
	for (let i = groups.length - 1; i >= 0; i--) {
		const g = groups[i];
		if (g === 0) {
			zero = out !== '';
			continue;
		}
		// 零 before a group that follows skipped zeros: a whole zero group, or this group's own leading zeros.
		if (out !== '' && (zero || g < 1000)) out += '零';
		zero = false;
		out += group(g) + GROUPS[i];
	}
	return out;
}

/** Whole fen as the capitals of an amount: 5000000 → 人民币伍万元整, 168032 → 人民币壹仟陆佰捌拾元叁角贰分. */
export function amountInCapitals(fen: number): string {
	if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be whole non-negative fen, got ${fen}`);
	if (fen >= 10 ** 16) throw new RangeError(`amount too large for capitals: ${fen}`);
	const yuan = Math.floor(fen / 100);
	const jiao = Math.floor(fen / 10) % 10;
	const fenDigit = fen % 10;
	const whole = yuanCapitals(yuan);
	if (jiao === 0 && fenDigit === 0) return `人民币${whole || '零'}元整`;
	let out = whole === '' ? '人民币' : `人民币${whole}元`;
	if (jiao > 0) out += `${DIGITS[jiao]}角`;
	else if (whole !== '') out += '零';
	if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
	return out;
}

/** A YYYY-MM-DD date as a Chinese document writes it: 2027-01-31 → 2027年1月31日. */
export function chineseDate(isoDate: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
	if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
	return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
