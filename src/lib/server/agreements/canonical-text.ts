import type { PartyKind, PartySide } from '../../enums';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { formatYuan } from '../../utils/yuan';
import { amountInCapitals, chineseDate } from '../../utils/yuan-capitals';

export { formatYuan };

/**
 * The canonical text of a frozen mediation agreement (调解协议书) and its SHA-256. Pure: no DB.
 *
 * 电子签名法 art. 13 asks that any change to signed content can be detected, so what is hashed must
 * not depend on how the same words happened to be typed or stored: every field is Unicode NFC, line
 * ends are `\n`, trailing spaces are dropped, fields come in a fixed order with fixed labels, amounts
 * are written in yuan with exactly two decimals followed by the capitals a court expects (人民币伍万元整),
 * and dates as 2027年1月31日. The labels are Chinese and
 * fixed here (not translated messages): the text is the legal document, the same in every language.
 */

/** One party's basic details (art. 29) and their responsibility, as the agreement states them. */
export interface CanonicalParty {
	/** Stable within the agreement: terms name their obligor by this id. */
	id: number;
	side: PartySide;
	kind: PartyKind;
	name: string;
	/** Already masked (个人信息保护法: the minimum); null when not recorded. */
	idNumberMasked: string | null;
	address: string | null;
	responsibility: string;
}

export interface CanonicalTerm {
	/** The party who performs; null when the term binds every party. */
	obligorPartyId: number | null;
	what: string;
	/** Whole fen (0.01 yuan), never negative; null when the term has no amount. */
	amountFen: number | null;
	how: string;
	/** YYYY-MM-DD or null. */
	dueOn: string | null;
}

/** Everything the parties sign. Order of `parties` and `terms` is part of the content. */
export interface CanonicalAgreement {
	caseNumber: string;
	committeeName: string;
	revision: number;
	parties: CanonicalParty[];
	facts: string;
	issues: string;
	terms: CanonicalTerm[];
	otherTerms: string;
}

const SIDE = { applicant: '申请人', respondent: '被申请人' } as const;
const KIND = { person: '自然人', organisation: '单位' } as const;

/** NFC, `\n` line ends, no trailing spaces on a line, no blank lines at either end. */
export function normalizeText(value: string): string {
	return value
		.normalize('NFC')
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/[\s\u3000]+$/u, ''))
		.join('\n')
		.replace(/^\n+|\n+$/g, '');
}

function block(label: string, body: string): string {
	const text = normalizeText(body);
	return `${label}：\n${text === '' ? '（无）' : text}`;
}

/** The agreement as one canonical string. Throws on a term that names an unknown party. */
export function canonicalText(a: CanonicalAgreement): string {
	const names = new Map(a.parties.map((p) => [p.id, normalizeText(p.name)]));
	const lines: string[] = [];
	lines.push('人民调解协议书');
	lines.push(`调解委员会：${normalizeText(a.committeeName)}`);
	lines.push(`案件编号：${normalizeText(a.caseNumber)}`);
	lines.push(`版本：${a.revision}`);
	lines.push('');
	lines.push('一、当事人基本情况');
	a.parties.forEach((p, i) => {
		lines.push(`${i + 1}. ${SIDE[p.side]}（${KIND[p.kind]}）：${names.get(p.id)}`);
		lines.push(`   身份证号：${p.idNumberMasked ? normalizeText(p.idNumberMasked) : '（未登记）'}`);
		lines.push(`   住址：${p.address ? normalizeText(p.address) : '（未登记）'}`);
	});
	lines.push('');
	lines.push(block('二、纠纷主要事实', a.facts));
	lines.push('');
	lines.push(block('三、争议事项', a.issues));
	lines.push('');
	lines.push('四、各方责任');
	for (const p of a.parties) lines.push(block(names.get(p.id)!, p.responsibility));
	lines.push('');
	lines.push('五、协议条款');
	if (a.terms.length === 0) lines.push('（无）');
	a.terms.forEach((t, i) => {
		if (t.obligorPartyId !== null && !names.has(t.obligorPartyId)) throw new Error(`term ${i + 1} names unknown party ${t.obligorPartyId}`);
		lines.push(`第${i + 1}条`);
		lines.push(`   履行方：${t.obligorPartyId === null ? '各方当事人' : names.get(t.obligorPartyId)}`);
		lines.push(`   内容：${normalizeText(t.what)}`);
		lines.push(`   金额：${t.amountFen === null ? '（无）' : `${formatYuan(t.amountFen)}（大写：${amountInCapitals(t.amountFen)}）`}`);
		lines.push(`   履行方式：${normalizeText(t.how) || '（无）'}`);
		lines.push(`   履行期限：${t.dueOn === null ? '（无）' : chineseDate(t.dueOn)}`);
	});
	lines.push('');
	lines.push(block('六、其他约定', a.otherTerms));
	lines.push('');
	lines.push('本协议经各方当事人签名（或盖章、按指印）、人民调解员签名并加盖人民调解委员会印章后生效。');
	return lines.join('\n').normalize('NFC') + '\n';
}

/** SHA-256 of the UTF-8 bytes of an (already canonical) text, lower-case hex. */
export function textHash(text: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(text.normalize('NFC'))));
}

/** The canonical text and its hash, as freezing stores them. */
export function canonicalize(a: CanonicalAgreement): { text: string; hash: string } {
	const text = canonicalText(a);
	return { text, hash: textHash(text) };
}
