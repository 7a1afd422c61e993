import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { PDFDocument, rgb } from 'pdf-lib';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { A4, MARGIN, Writer, chainHeadLine, stringsOf } from '../documents/agreement-pdf';
import { PdfText } from '../documents/pdf-text';
import type { Db } from '../db';
import { loadCircular, type Circular, type RankedUnit } from './load-circular';
import type { AssessmentPeriod, Measure } from './rules';
import { countyIdOf } from '../roster/rules';

/**
 * The circular (通报) as a PDF on the agreement PDF's machinery (the font chain prints every name as it
 * is, rare characters included). An official paper, so always in Chinese; it names the weights version
 * it was computed with and the audit chain head.
 */

export const MEASURE_ZH: Record<Measure, string> = {
	intake_change: '受理量同比',
	accepted_on_time: '按期受理率',
	concluded_on_time: '按期办结率',
	first_resolved: '一次性化解率',
	repeat_share: '重复信访占比',
	beijing: '进京',
	province: '赴省',
	orders_overdue: '督办逾期',
	satisfaction: '回访满意率'
};

export function periodZh(p: AssessmentPeriod): string {
	const year = p.key.slice(0, 4);
	if (p.kind === 'year') return `${year}年度`;
	if (p.kind === 'quarter') return `${year}年第${'一二三四'[Number(p.key.slice(6)) - 1]}季度`;
	return `${year}年${Number(p.key.slice(5, 7))}月`;
}

const change = (v: number | null) => (v == null ? '上年同期为零' : v > 0 ? `上升${v}%` : v < 0 ? `下降${-v}%` : '持平');
const rankMove = (u: RankedUnit) => (u.previousRank == null ? '—' : u.previousRank > u.rank ? `↑${u.previousRank - u.rank}` : u.previousRank < u.rank ? `↓${u.rank - u.previousRank}` : '—');
const figure = (v: number | null, percent: boolean) => (v == null ? '—' : percent ? `${v}%` : String(v));

export async function renderCircularPdf(c: Circular): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const font = await PdfText.embed(doc, stringsOf({ c: [c.countyName, c.townships.map((u) => u.name), c.departments.map((u) => u.name), c.practices, c.improve.map((i) => i.unit)] }));
	const title = `${c.countyName}${periodZh(c.period)}矛盾纠纷化解和信访工作考核通报`;
	doc.setTitle(title);
	doc.setCreator('评理 Pingli');
	doc.setLanguage('zh-CN');
	const w = new Writer(doc, font);
	w.write(title, { size: 16, center: true, gap: 4 });
	w.write(`考核权重：${c.weights.version === 0 ? '默认权重' : `第 ${c.weights.version} 版`}（${Object.entries(c.weights.weights).map(([m, v]) => `${MEASURE_ZH[m as Measure]}${v}`).join('、')}）`, { size: 9, color: [0.35, 0.35, 0.35], gap: 10 });

	w.write('一、总体情况', { size: 13, gap: 4 });
	w.write(
		`${periodZh(c.period)}全县受理矛盾纠纷和信访事项 ${c.county.received} 件，同比${change(c.county.receivedChange)}；进京 ${c.county.beijing} 件，同比${change(c.county.beijingChange)}；赴省 ${c.county.province} 件，同比${change(c.county.provinceChange)}。`,
		{ gap: 8 }
	);
	const table = (heading: string, units: RankedUnit[]) => {
		w.write(heading, { size: 13, gap: 4 });
		const columns = [0, 30, 150, 200, 250, 300, 350, 400, 440];
		const header = ['名次', '单位', '得分', '较上期', '受理', '按期办结', '一次化解', '进京/赴省', '满意率'];
		const draw = (cells: string[], red: boolean) => {
			w.need(16);
			w.y -= 15;
			cells.forEach((cell, i) => font.draw(w.page, cell, { x: MARGIN + columns[i], y: w.y, size: 9, color: red ? rgb(0.75, 0.22, 0.17) : rgb(0, 0, 0) }));
		};
		draw(header, true);
		w.page.drawLine({ start: { x: MARGIN, y: w.y - 4 }, end: { x: A4[0] - MARGIN, y: w.y - 4 }, thickness: 0.5, color: rgb(0.6, 0.62, 0.65) });
		for (const u of units) {
			draw(
				[String(u.rank), u.name, String(u.total), rankMove(u), String(u.received), figure(u.figures.concluded_on_time, true), figure(u.figures.first_resolved, true), `${u.figures.beijing}/${u.figures.province}`, figure(u.figures.satisfaction, true)],
				false
			);
		}
		w.y -= 10;
	};
	table('二、乡镇排名', c.townships);
	table('三、县直部门排名', c.departments);
	w.write('四、典型经验', { size: 13, gap: 4 });
	if (c.practices.length === 0) w.write('本期未通报典型经验。');
	for (const p of c.practices) w.write(`${p.unit}：${p.text}`, { gap: 2 });
	w.y -= 8;
	w.write('五、需改进的单位', { size: 13, gap: 4 });
	if (c.improve.length === 0) w.write('无。');
	for (const i of c.improve) w.write(`${i.unit}（第 ${i.rank} 名）${i.weakest.length ? `：${i.weakest.map((m) => MEASURE_ZH[m]).join('、')}偏弱，请限期改进。` : '，请限期改进。'}`, { gap: 2 });
	w.y -= 12;
	w.write(chainHeadLine(c.chainHead), { size: 8, color: [0.35, 0.35, 0.35] });
	return doc.save();
}

export interface DownloadCircularOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** The circular as a PDF for a reader in scope; each download audited with the weights version and the file's hash. */
export async function downloadCircular(db: Db, actor: Viewer, period: AssessmentPeriod, options: DownloadCircularOptions = {}): Promise<{ bytes: Uint8Array; fileName: string }> {
	const { ip } = options;
	const circular = await loadCircular(db, actor, period);
	const bytes = await renderCircularPdf(circular);
	await db.transaction((tx) =>
		recordAudit(tx, {
			action: 'assessment.circular_pdf',
			actorId: actor.id,
			subjectType: 'county',
			subjectId: countyIdOf(actor),
			ip,
			data: { period: period.key, weightsVersion: circular.weights.version, sha256: encodeHexLowerCase(sha256(bytes)) }
		})
	);
	return { bytes, fileName: `${circular.countyName}${periodZh(period)}考核通报.pdf` };
}
