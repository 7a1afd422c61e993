import { PDFDocument } from 'pdf-lib';
import { Writer } from '../documents/agreement-pdf';
import { PdfText } from '../documents/pdf-text';
import type { PartyDataExport } from './export-party-data';

const SIDE: Record<string, string> = { applicant: '申请人', respondent: '被申请人' };
const PURPOSE: Record<string, string> = { service: '送达文书', identity: '核实身份', document: '制作法律文书', contact: '联系当事人', other: '其他' };
const STATUS: Record<string, string> = {
	registered: '已登记', not_accepted: '不予受理', accepted: '已受理', assigned: '已交办', in_mediation: '调解中',
	concluded: '已办结', follow_up: '回访中', archived: '已归档'
};

/** A Shanghai date-time as 2026-11-29 14:05. */
const shanghai = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The export as a readable PDF in Chinese, for the administrator to hand over with the JSON: the same
 * font chain and writer as the agreement copies, so every name prints exactly (𠮷, 䶮, 𡈼).
 */
export async function partyDataPdf(data: PartyDataExport): Promise<Uint8Array> {
	const lines: { text: string; size?: number; gap?: number }[] = [
		{ text: '个人信息副本', size: 20, gap: 6 },
		{ text: `生成时间：${shanghai(data.generatedAt)}（依《个人信息保护法》第四十五条，按本人申请提供）`, size: 9, gap: 10 },
		{ text: '账户', size: 13, gap: 2 },
		{ text: data.account ? `姓名：${data.account.name}　手机号：${data.account.phone ?? '无'}　开立时间：${shanghai(data.account.createdAt)}` : '无账户', gap: 10 },
		{ text: `作为当事人的事项（${data.matters.length} 件）`, size: 13, gap: 2 }
	];
	for (const m of data.matters) {
		const p = m.asParty;
		lines.push({ text: `${m.number}　${m.title}　${STATUS[m.status] ?? m.status}　登记：${shanghai(m.registeredAt)}${m.concludedAt ? `　办结：${shanghai(m.concludedAt)}` : ''}` });
		lines.push({
			text: `${SIDE[p.side] ?? p.side}：${p.name}　手机号：${p.phone ?? '无'}　身份证号：${p.idNumber ?? '无'}　住址：${p.address ?? '无'}${p.maskedByRetention ? '（已按保存期限遮蔽）' : ''}`,
			gap: 6
		});
	}
	lines.push({ text: `完整信息查看记录（${data.views.length} 次）`, size: 13, gap: 2 });
	for (const v of data.views) lines.push({ text: `${shanghai(v.at)}　${v.by ?? '（已删除的账户）'}　${v.matter ?? ''}　目的：${v.purpose ? (PURPOSE[v.purpose] ?? v.purpose) : '未记录'}` });

	const doc = await PDFDocument.create();
	doc.setTitle('个人信息副本');
	const w = new Writer(doc, await PdfText.embed(doc, lines.map((l) => l.text)));
	for (const line of lines) w.write(line.text, { size: line.size, gap: line.gap });
	return doc.save();
}
