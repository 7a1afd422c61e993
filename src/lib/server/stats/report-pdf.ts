import { PDFDocument, rgb } from 'pdf-lib';
import { A4, MARGIN, Writer, chainHeadLine, stringsOf } from '../documents/agreement-pdf';
import { PdfText } from '../documents/pdf-text';
import type { MonthlyReport } from './monthly-report';

/**
 * The monthly report (报) as a PDF, on the agreement PDF's machinery (the embedded, subset Chinese font
 * and its text writer). Like the agreement it is an official paper and always in Chinese. Its charts
 * are bars drawn as rectangles, each with its figure, beside the same figures as text.
 */

const RED = rgb(0.75, 0.22, 0.17);
const GREY = rgb(0.6, 0.62, 0.65);
const INK = rgb(0, 0, 0);

const CHANNELS: Record<string, string> = {
	leader_mailbox: '领导信箱',
	online: '网上信访',
	phone: '电话',
	sms: '短信',
	wechat: '微信',
	video: '视频接访',
	walk_in: '来访',
	grid_report: '网格员上报',
	agent: '代办'
};

function change(value: number | null): string {
	if (value == null) return '对比期为零';
	if (value > 0) return `上升 ${value}%`;
	if (value < 0) return `下降 ${-value}%`;
	return '持平';
}

const percent = (v: number | null) => (v == null ? '—' : `${v}%`);

export async function renderReportPdf(report: MonthlyReport): Promise<Uint8Array> {
	const d = report.dashboard;
	const [year, month] = report.month.split('-').map(Number);
	const doc = await PDFDocument.create();
	// Place names and cluster words may need the fallback fonts.
	const font = await PdfText.embed(doc, stringsOf(report));
	const title = `${d.area.name}${year}年${month}月矛盾纠纷和信访工作分析报告`;
	doc.setTitle(title);
	doc.setCreator('评理 Pingli');
	doc.setLanguage('zh-CN');

	const w = new Writer(doc, font);
	w.write(title, { size: 16, center: true, gap: 4 });
	w.write(`统计期间：${d.period.from} 至 ${d.period.to}`, { size: 9, center: true, color: [0.35, 0.35, 0.35], gap: 12 });

	const heading = (text: string) => {
		w.need(60);
		w.write(text, { size: 13, gap: 4 });
	};
	/** Rows of label and figures at fixed columns, with a thin rule under the header. */
	const table = (header: string[], rows: string[][], columns: number[]) => {
		const size = 10;
		const draw = (cells: string[], bold: boolean) => {
			w.need(16);
			w.y -= 15;
			cells.forEach((cell, i) => {
				const right = i > 0;
				const x = right ? MARGIN + columns[i] - font.widthOfTextAtSize(cell, size) : MARGIN + columns[i];
				font.draw(w.page, cell, { x, y: w.y, size, color: bold ? RED : INK });
			});
		};
		draw(header, true);
		w.page.drawLine({ start: { x: MARGIN, y: w.y - 4 }, end: { x: A4[0] - MARGIN, y: w.y - 4 }, thickness: 0.5, color: GREY });
		for (const row of rows) draw(row, false);
		w.y -= 10;
	};
	/** Horizontal bars, one per label, the longest bar the largest figure. */
	const bars = (items: { label: string; count: number; compare?: number }[]) => {
		const max = Math.max(1, ...items.flatMap((i) => [i.count, i.compare ?? 0]));
		const labelWidth = 90;
		const barWidth = w.width - labelWidth - 40;
		for (const item of items) {
			w.need(16);
			w.y -= 15;
			font.draw(w.page, item.label, { x: MARGIN, y: w.y, size: 9 });
			const length = (item.count / max) * barWidth;
			w.page.drawRectangle({ x: MARGIN + labelWidth, y: w.y - 1, width: Math.max(length, 0.5), height: item.compare == null ? 10 : 6, color: RED });
			if (item.compare != null) {
				w.page.drawRectangle({ x: MARGIN + labelWidth, y: w.y - 6, width: Math.max((item.compare / max) * barWidth, 0.5), height: 4, color: GREY });
			}
			font.draw(w.page, String(item.count), { x: MARGIN + labelWidth + length + 4, y: w.y, size: 9 });
		}
		w.y -= 10;
	};

	heading('一、总体情况');
	w.write(
		`本月共受理矛盾纠纷和信访事项 ${d.intake.total} 件，同比${change(d.lastYear.change.total)}；其中首次信访 ${d.intake.firstTime} 件，同比${change(
			d.lastYear.change.firstTime
		)}；越级到县以上 ${d.intake.escalated} 件，同比${change(d.lastYear.change.escalated)}。本月办结 ${d.conclusion.concluded} 件，按期办结率 ${percent(
			d.conclusion.onTimeRate
		)}；化解率 ${percent(d.resolution.rate)}；生效调解协议 ${d.agreementsEffective} 份。`,
		{ gap: 8 }
	);
	table(
		['项目', '本月', '去年同月', '同比', '上月', '环比'],
		(
			[
				['受理总量', 'total'],
				['首次信访', 'firstTime'],
				['重复信访', 'repeat'],
				['越级到县以上', 'escalated']
			] as const
		).map(([label, key]) => [
			label,
			String(d.intake[key]),
			String(d.lastYear.intake[key]),
			change(d.lastYear.change[key]),
			String(d.previous.intake[key]),
			change(d.previous.change[key])
		]),
		[0, 150, 215, 305, 365, 455]
	);
	w.write('近十二个月受理量（红：本年度，灰：上年同月）', { size: 10, gap: 2 });
	bars(d.trend.map((t) => ({ label: t.month, count: t.count, compare: t.lastYear })));

	heading('二、主要类别和地区');
	bars(d.byCategory.map((c) => ({ label: c.zh, count: c.count })));
	if (d.byPlace.length) bars(d.byPlace.map((p) => ({ label: p.name ?? `${d.area.name}本级`, count: p.count })));
	if (d.byChannel.length) w.write(`来源渠道：${d.byChannel.map((c) => `${CHANNELS[c.key] ?? c.key} ${c.count} 件`).join('，')}。`, { gap: 8 });

	heading('三、超期和督办事项');
	w.write(`截至今日超期未办结 ${report.overdueNow} 件。本月下发督办 ${report.supervision.issued} 件，已答复 ${report.supervision.answered} 件。`, { gap: 8 });

	heading('四、一类事');
	if (report.clusters.length === 0) w.write('本期没有发现反复出现的同类事项。', { gap: 8 });
	report.clusters.forEach((c, i) => {
		const confirmed = c.confirmed ? `，已确认为一类事“${c.confirmed.title}”，交${c.confirmed.department}` : '';
		w.write(`${i + 1}. ${c.placeName} · ${c.category.zh} · ${c.caseIds.length} 件（${c.firstOn} 至 ${c.lastOn}${c.terms.length ? `，共同内容：${c.terms.join('、')}` : ''}）${confirmed}`, { gap: 2 });
	});
	w.y -= 6;

	heading('五、群众满意度');
	w.write(d.ratings.average == null ? '本月没有群众评价。' : `群众评价 ${d.ratings.count} 人次，平均 ${d.ratings.average} 分（满分 5 分）。`, { gap: 4 });
	w.write(d.returnVisits.average == null ? '本月没有回访。' : `回访 ${d.returnVisits.count} 人次，平均满意度 ${d.returnVisits.average} 分。`, { gap: 4 });
	w.write(`本月到期的协议条款 ${d.performance.due} 项，已履行 ${d.performance.done} 项，履行率 ${percent(d.performance.rate)}。`, { gap: 12 });
	w.write(`生成时间：${new Date(report.generatedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`, {
		size: 8,
		color: [0.35, 0.35, 0.35]
	});
	w.write(chainHeadLine(report.chainHead), { size: 7, color: [0.35, 0.35, 0.35] });
	return doc.save();
}
