import { PDFDocument } from 'pdf-lib';
import { Writer, stringsOf } from '../documents/agreement-pdf';
import { PdfText } from '../documents/pdf-text';
import type { MeetingView } from './get-meeting';
import { KIND_ZH, type AgendaReason } from './rules';

/**
 * The minutes (会议纪要) of a meeting on stalled matters, on the agreement PDF's machinery: the font
 * chain embeds each character from the first font that has it, so names with rare characters (𠮷 䶮 𡈼)
 * print exactly. An official paper, so always in Chinese.
 */

const REASON_ZH: Record<AgendaReason, string> = { overdue: '超过办理期限', idle: '长期无进展', passed_on: '多次转办', reopened: '申请复查复核' };

/** 2026年12月4日 14:05, Shanghai time. */
function chineseDateTime(at: Date): string {
	const s = new Date(at.getTime() + 8 * 3_600_000).toISOString();
	return `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`;
}

const chineseDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export async function renderMinutesPdf(meeting: MeetingView, printedAt: Date): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const font = await PdfText.embed(doc, stringsOf(meeting));
	const title = `${meeting.placeName}矛盾纠纷${KIND_ZH[meeting.kind]}纪要`;
	doc.setTitle(title);
	doc.setCreator('评理 Pingli');
	doc.setLanguage('zh-CN');
	const w = new Writer(doc, font);
	w.write(title, { size: 16, center: true, gap: 12 });
	w.write(`时间：${chineseDateTime(meeting.heldAt)}`);
	w.write(`地点：${meeting.location}`);
	w.write(`召集：${meeting.holderName}`);
	w.write(`参会单位：${meeting.departments.map((d) => d.name).join('、')}`);
	w.write(`参会人员：${meeting.attendees}`, { gap: 10 });
	w.write(`会议研究了以下 ${meeting.matters.length} 件事项，明确责任单位、责任人和办理时限，逐件跟踪，办结一件、销号一件，直至见底清零。`, { gap: 10 });
	meeting.matters.forEach((m, i) => {
		w.need(80);
		w.write(`${i + 1}. ${m.title}（${m.number}，${m.placeName}）`, { size: 12, gap: 2 });
		if (m.reasons.length) w.write(`提交原因：${m.reasons.map((r) => REASON_ZH[r]).join('、')}`, { color: [0.35, 0.35, 0.35] });
		if (m.actions.length === 0) w.write('议定事项：尚未议定。');
		m.actions.forEach((a, j) => {
			w.write(`（${j + 1}）${a.decision}`);
			const state = a.doneAt ? `已于${chineseDateTime(a.doneAt)}办结：${a.doneNote ?? ''}` : a.overdue ? '已逾期' : '办理中';
			w.write(`责任单位：${a.departmentName}；责任人：${a.ownerName}；时限：${chineseDate(a.dueOn)}前；${state}`, { color: [0.25, 0.25, 0.25] });
		});
		w.write(m.cleared ? '本事项议定事项均已办结，已清零。' : '', { gap: 8 });
	});
	w.write(`打印时间：${chineseDateTime(printedAt)}`, { size: 9, color: [0.35, 0.35, 0.35] });
	return doc.save();
}
