import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSeal, listSeals } from '../../src/lib/server/agreements/list-seals';
import { demoSealPng } from '../../src/lib/server/documents/seal-image';
import { uploadSeal } from '../../src/lib/server/agreements/upload-seal';
import { auditLog, committeeSeals } from '../../src/lib/server/db/schema';
import { outcome, setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

describe('committee seals', () => {
	it('the demo seeds one generated seal, for 城南村', async () => {
		const rows = await w.t.db.select({ placeId: committeeSeals.placeId }).from(committeeSeals);
		expect(rows).toEqual([{ placeId: w.placeIds['城南村'] }]);
	});

	it('admins upload a PNG per place in their scope; anything else is refused', async () => {
		const png = demoSealPng(120);
		expect(await outcome(uploadSeal(w.t.db, w.viewers.mediator, { placeId: w.placeIds['涂埠镇'], bytes: png }))).toBe('forbidden');
		expect(await outcome(uploadSeal(w.t.db, w.viewers.admin, { placeId: w.placeIds['涂埠镇'], bytes: new TextEncoder().encode('not a png') }))).toEqual({ code: 'invalid', seal: 'err_seal_file' });
		expect(await outcome(uploadSeal(w.t.db, w.viewers.admin, { placeId: w.placeIds['涂埠镇'], bytes: new Uint8Array(600 * 1024) }))).toEqual({ code: 'invalid', seal: 'err_seal_file' });
		expect(await outcome(uploadSeal(w.t.db, w.viewers.admin, { placeId: 999999, bytes: png }))).toEqual({ code: 'invalid', placeId: 'err_invalid' });
		await uploadSeal(w.t.db, w.viewers.admin, { placeId: w.placeIds['涂埠镇'], bytes: png }, { ip: '10.0.0.1' });
		await uploadSeal(w.t.db, w.viewers.admin, { placeId: w.placeIds['涂埠镇'], bytes: demoSealPng(140) }, { ip: '10.0.0.1' });
		expect([...(await getSeal(w.t.db, w.viewers.admin, w.placeIds['涂埠镇']))]).toEqual([...demoSealPng(140)]);
		const listed = await listSeals(w.t.db, w.viewers.admin);
		expect(listed.filter((s) => s.uploadedAt !== null).map((s) => s.name).sort()).toEqual(['城南村', '涂埠镇'].sort());
		expect(await outcome(listSeals(w.t.db, w.viewers.mediator))).toBe('forbidden');
		expect((await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'committee_seal.upload'))).length).toBe(3);
	});
});
