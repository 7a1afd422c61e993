import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadCircular } from '../../src/lib/server/assessment/circular-pdf';
import { loadCircular } from '../../src/lib/server/assessment/load-circular';
import { addPractice } from '../../src/lib/server/assessment/practices';
import { MEASURES, parsePeriod } from '../../src/lib/server/assessment/rules';
import { saveWeights } from '../../src/lib/server/assessment/weights';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { auditLog, caseStatCounts, cases, departments } from '../../src/lib/server/db/schema';
import { outcome, SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { pdfText } from '../support/pdf-read';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Issue 13 part 4: the assessment ranking from the maintained counts, its versioned weights and the circular. */
let t: TestDatabase;
const year = shanghaiDate(new Date()).slice(0, 4);
const period = parsePeriod(year)!;
const yearStart = new Date(`${year}-01-01T00:00:00+08:00`);
const yearEnd = new Date(`${Number(year) + 1}-01-01T00:00:00+08:00`);
const inYear = and(gte(cases.registeredAt, yearStart), lt(cases.registeredAt, yearEnd));
const auditRows = async (action: string) => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0].n;
const weights = (over: Record<string, string>) => ({ note: '测试', ...Object.fromEntries(MEASURES.map((m) => [m, '0'])), ...over });

beforeAll(async () => {
	t = await createTestDatabase();
	await seedAdminWorld(t.db);
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

describe('the ranking', () => {
	it('reads the same figures from the counts as the matters give, per township and department', async () => {
		const c = await loadCircular(t.db, await viewer(t.db, 'county.supervisor'), period);
		expect(c.weights.version).toBe(1);
		expect(c.townships.map((u) => u.name).sort()).toEqual(['涂埠镇', '艾城镇', '虬津镇'].sort());
		for (const u of c.townships) {
			const [{ n }] = await t.db.select({ n: count() }).from(cases).where(and(inYear, eq(cases.townshipId, u.id)));
			expect(u.received, u.name).toBe(n);
		}
		for (const u of c.departments) {
			const [{ n }] = await t.db.select({ n: count() }).from(cases).where(and(inYear, eq(cases.departmentId, u.id)));
			expect(u.received, u.name).toBe(n);
		}
		const [{ n: all }] = await t.db.select({ n: count() }).from(cases).where(inYear);
		expect(c.county.received).toBe(all);
		const [{ n: beijing }] = await t.db.select({ n: count() }).from(cases).where(and(inYear, eq(cases.escalatedTo, 'beijing')));
		const [{ n: province }] = await t.db.select({ n: count() }).from(cases).where(and(inYear, eq(cases.escalatedTo, 'province')));
		expect([c.county.beijing, c.county.province]).toEqual([beijing, province]);
		expect(beijing + province).toBeGreaterThan(0);
		expect(c.townships.find((u) => u.name === '涂埠镇')!.figures.beijing).toBe(beijing);
		expect(c.county.beijingChange).toBeNull(); // nothing last year in the demo
		expect(c.practices).toEqual([]);
	});

	it('keeps the department counts in step when a matter moves to another department, as a rebuild computes them', async () => {
		const [wages] = await t.db.select({ id: cases.id, departmentId: cases.departmentId }).from(cases).where(eq(cases.title, '拖欠装修工人工资'));
		const [other] = await t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, '县民政局'));
		const received = async (id: number) => (await loadCircular(t.db, await viewer(t.db, 'county.supervisor'), parsePeriod(shanghaiDate(new Date()).slice(0, 4))!)).departments.find((u) => u.id === id)!.received;
		const [before, beforeOther] = [await received(wages.departmentId!), await received(other.id)];
		await t.db.update(cases).set({ departmentId: other.id }).where(eq(cases.id, wages.id));
		expect([await received(wages.departmentId!), await received(other.id)]).toEqual([before - 1, beforeOther + 1]);
		const snapshot = async () => t.db.select().from(caseStatCounts).where(sql`${caseStatCounts.n} <> 0`).orderBy(caseStatCounts.level, caseStatCounts.month, caseStatCounts.townshipId, caseStatCounts.villageId, caseStatCounts.dim, caseStatCounts.key);
		const kept = await snapshot();
		expect(kept.some((r) => r.dim.startsWith('d_') && r.level === 2)).toBe(false);
		await t.db.execute(sql`select case_stats_rebuild()`);
		expect(await snapshot()).toEqual(kept);
		await t.db.update(cases).set({ departmentId: wages.departmentId }).where(eq(cases.id, wages.id));
	});

	it('follows the weights in force: only 进京 weighed, the township with a Beijing matter comes last', async () => {
		const admin = await viewer(t.db, 'admin');
		const audits = await auditRows('assessment.weights');
		expect(await saveWeights(t.db, admin, weights({ beijing: '100', note: '只看进京' }))).toEqual({ version: 2 });
		expect(await auditRows('assessment.weights')).toBe(audits + 1);
		const c = await loadCircular(t.db, await viewer(t.db, 'county.supervisor'), period);
		expect(c.weights.version).toBe(2);
		expect(c.townships.at(-1)!.name).toBe('涂埠镇');
		expect(c.townships.filter((u) => u.rank === 1).map((u) => u.name).sort()).toEqual(['艾城镇', '虬津镇'].sort());
		expect(c.improve.map((i) => i.unit)).toContain('涂埠镇');
	});

	it('refuses bad weights and anyone but a county administrator, writing nothing', async () => {
		const admin = await viewer(t.db, 'admin');
		const audits = await auditRows('assessment.weights');
		expect((await outcome(saveWeights(t.db, admin, weights({ beijing: '101' })))).fields).toEqual({ beijing: 'as_err_weight' });
		expect((await outcome(saveWeights(t.db, admin, weights({ beijing: '-1', province: 'x' })))).fields).toEqual({ beijing: 'as_err_weight', province: 'as_err_weight' });
		expect((await outcome(saveWeights(t.db, admin, weights({})))).fields).toEqual({ _: 'as_err_weights_zero' });
		expect((await outcome(saveWeights(t.db, admin, weights({ beijing: '5', note: ' ' })))).fields).toEqual({ note: 'err_required' });
		for (const username of ['county.supervisor', 'supervisor', 'tubu.admin', 'tubu.supervisor', 'mediator']) {
			expect((await outcome(saveWeights(t.db, await viewer(t.db, username), weights({ beijing: '5' })))).code, username).toBe('forbidden');
		}
		expect(await auditRows('assessment.weights')).toBe(audits);
	});
});

describe('who reads the circular and who names good practice', () => {
	it('township supervisors read it (it is sent to them); village staff, mediators and parties are refused', async () => {
		expect((await loadCircular(t.db, await viewer(t.db, 'tubu.supervisor'), period)).townships).toHaveLength(3);
		for (const username of ['mediator', 'villager', 'party', 'chengnan.admin', 'agent', 'advisor']) {
			expect((await outcome(loadCircular(t.db, await viewer(t.db, username), period))).code, username).toBe('forbidden');
		}
	});

	it('lets the county name good practice for a period, audited; township people and bad periods are refused', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const audits = await auditRows('assessment.practice');
		await addPractice(t.db, county, { period: period.key, unit: '虬津镇', text: '𠮷田村“一村一法律明白人”全覆盖，矛盾不出村。' });
		expect(await auditRows('assessment.practice')).toBe(audits + 1);
		expect((await loadCircular(t.db, county, period)).practices.map((p) => p.unit)).toEqual(['虬津镇']);
		expect((await outcome(addPractice(t.db, county, { period: '2026-13', unit: '虬津镇', text: '做法' }))).fields).toEqual({ period: 'as_err_period' });
		expect((await outcome(addPractice(t.db, county, { period: period.key, unit: '镇'.repeat(61), text: '做法' }))).fields).toEqual({ unit: 'err_too_long' });
		for (const username of ['tubu.supervisor', 'tubu.admin', 'mediator']) {
			expect((await outcome(addPractice(t.db, await viewer(t.db, username), { period: period.key, unit: '虬津镇', text: '做法' }))).code, username).toBe('forbidden');
		}
		expect(await auditRows('assessment.practice')).toBe(audits + 1);
	});

	it('prints the circular with the weights version, the ranking and the good practice, and audits each download', async () => {
		const audits = await auditRows('assessment.circular_pdf');
		const { bytes, fileName } = await downloadCircular(t.db, await viewer(t.db, 'county.supervisor'), period);
		expect(fileName).toBe(`永修县${year}年度考核通报.pdf`);
		const { flat } = await pdfText(bytes);
		for (const text of [`永修县${year}年度矛盾纠纷化解和信访工作考核通报`, '考核权重：第2版', '乡镇排名', '县直部门排名', '县人力资源和社会保障局', '𠮷田村', '需改进的单位', '涂埠镇（第3名）']) {
			expect(flat).toContain(text);
		}
		expect(await auditRows('assessment.circular_pdf')).toBe(audits + 1);
		const [row] = await t.db.select({ data: auditLog.data }).from(auditLog).where(eq(auditLog.action, 'assessment.circular_pdf')).orderBy(sql`${auditLog.id} desc`).limit(1);
		expect(row.data).toMatchObject({ period: year, weightsVersion: 2 });
	});
});
