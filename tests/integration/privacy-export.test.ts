/**
 * A party's request for a copy of their personal data (PIPL art. 45): administrators only, the
 * matters found by phone or ID number with the full details and every full view with its purpose,
 * the export audited; a readable PDF with the same content.
 */
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { getCase } from '../../src/lib/server/cases/work/get-case';
import { revealPersonalData } from '../../src/lib/server/privacy/reveal-personal-data';
import { auditLog, caseParties } from '../../src/lib/server/db/schema';
import { exportPartyData } from '../../src/lib/server/privacy/export-party-data';
import { partyDataPdf } from '../../src/lib/server/privacy/party-data-pdf';
import { pdfText } from '../support/pdf-read';
import { newCase, outcome, rowCounts, setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

it('exports a party’s matters, details and the views of them for an administrator, audited, as JSON and PDF', async () => {
	const { id } = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1' });
	await w.t.db.update(caseParties).set({ name: '𠮷田春' }).where(eq(caseParties.idNumber, '11010519491231002X'));
	const [applicant] = (await getCase(w.t.db, w.viewers.mediator, id)).parties;
	await revealPersonalData(w.t.db, w.viewers.mediator, id, { partyId: applicant.id, purpose: 'identity' });

	const before = await rowCounts(w.t);
	for (const who of ['mediator', 'supervisor', 'party']) {
		expect(await outcome(exportPartyData(w.t.db, w.viewers[who], { idNumber: '11010519491231002X' }))).toBe('forbidden');
	}
	expect(await outcome(exportPartyData(w.t.db, w.viewers.admin, {}))).toMatchObject({ code: 'invalid' });
	expect(await rowCounts(w.t), 'refusals record nothing').toEqual(before);

	const data = await exportPartyData(w.t.db, w.viewers.admin, { idNumber: '11010519491231002x' }, { ip: '10.1.1.1' });
	const mine = data.matters.filter((m) => m.asParty.name === '𠮷田春');
	expect(mine.length).toBeGreaterThanOrEqual(1);
	expect(mine[0].asParty).toMatchObject({ idNumber: '11010519491231002X', maskedByRetention: false });
	expect(data.views.some((v) => v.purpose === 'identity')).toBe(true);
	const [row] = await w.t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
	expect(row).toMatchObject({ action: 'privacy.party_export', actorId: w.viewers.admin.id, ip: '10.1.1.1', data: { matchedBy: 'idNumber' } });
	expect(JSON.stringify(row.data)).not.toContain('11010519491231002X');

	const { flat } = await pdfText(await partyDataPdf(data));
	expect(flat).toContain('个人信息副本');
	expect(flat).toContain('𠮷田春');
	expect(flat).toContain('11010519491231002X');
	expect(flat).toContain('核实身份');
}, 120_000);
