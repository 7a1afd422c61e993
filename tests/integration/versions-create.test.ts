import { and, desc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, documentVersions } from '../../src/lib/server/db/schema';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { createVersion } from '../../src/lib/server/mediation/versions/create-version';
import { getVersion } from '../../src/lib/server/mediation/versions/get-version';
import { listVersions } from '../../src/lib/server/mediation/versions/list-versions';
import { documentFromState, recordBlocks } from '../../src/lib/server/mediation/versions/record-document';
import { saveVersion } from '../../src/lib/server/mediation/versions/save-version';
import { counts, outcome, setUpVersions, storeParagraphs, type VersionsWorld } from './versions-fixtures';

let w: VersionsWorld;
let s1: number;
let s2: number;

beforeAll(async () => {
	w = await setUpVersions();
	[s1, s2] = w.sessionIds;
	await storeParagraphs(w.t, s1, ['申请人陈述：围墙越界三十公分。', '被申请人陈述：围墙是按老界址砌的。']);
	// Seeding hashes every demo password with argon2id: slow on a busy machine.
}, 180_000);
afterAll(() => w.t.destroy());

describe('creating a version', () => {
	it('snapshots the stored state, names it, records its author and audits it', async () => {
		const before = await counts(w.t);
		const { id, name } = await saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '  第一次调解结束 ' }, { ip: '10.0.0.7', collab: null });
		expect(name).toBe('第一次调解结束');

		const [row] = await w.t.db.select().from(documentVersions).where(eq(documentVersions.id, id));
		expect(row).toMatchObject({ docName: recordDocName(s1), name: '第一次调解结束', automatic: false, createdById: w.v.mediator.id });
		const doc = documentFromState(row.state);
		expect(recordBlocks(doc)).toEqual([
			{ kind: 'paragraph', text: '申请人陈述：围墙越界三十公分。' },
			{ kind: 'paragraph', text: '被申请人陈述：围墙是按老界址砌的。' }
		]);
		doc.destroy();

		const [audit] = await w.t.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'record.version_create'), eq(auditLog.subjectId, recordDocName(s1))))
			.orderBy(desc(auditLog.id))
			.limit(1);
		expect(audit).toMatchObject({ actorId: w.v.mediator.id, ip: '10.0.0.7', data: { versionId: id, name: '第一次调解结束', automatic: false } });
		expect(await counts(w.t)).toEqual({ ...before, versions: before.versions + 1, audit: before.audit + 1 });
	});

	it('takes later edits into later versions and leaves earlier ones as they were', async () => {
		const first = (await listVersions(w.t.db, w.v.mediator, s1)).at(-1)!;
		await storeParagraphs(w.t, s1, ['查明的事实：界桩仍在原处。']);
		const { id } = await createVersion(w.t.db, { docName: recordDocName(s1), name: '第1次调解结束（自动）', automatic: true, actorId: null }, { collab: null });
		const later = await getVersion(w.t.db, w.v.mediator, s1, id);
		expect(later.version).toMatchObject({ automatic: true, createdBy: null });
		expect(later.blocks.map((b) => b.text)).toEqual(['申请人陈述：围墙越界三十公分。', '被申请人陈述：围墙是按老界址砌的。', '查明的事实：界桩仍在原处。']);
		const earlier = await getVersion(w.t.db, w.v.mediator, s1, first.id);
		expect(earlier.blocks).toHaveLength(2);
		// Newest first, with the author's name.
		const list = await listVersions(w.t.db, w.v.mediator, s1);
		expect(list.map((v) => v.id)).toEqual([id, first.id]);
		expect(list[1].createdBy).toBe(w.v.mediator.name);
	});

	it('lets a panel member who declared no conflict save a version', async () => {
		expect(await outcome(saveVersion(w.t.db, w.v.panelist, { sessionId: s1, name: '评理员记录' }, { collab: null }))).toBe('ok');
	});

	it('refuses a reader, hides the record from people outside the case, and writes nothing', async () => {
		const before = await counts(w.t);
		expect(await outcome(saveVersion(w.t.db, w.v.party, { sessionId: s1, name: '当事人版本' }, { collab: null }))).toBe('forbidden');
		expect(await outcome(saveVersion(w.t.db, w.v.supervisor, { sessionId: s1, name: '督办版本' }, { collab: null }))).toBe('forbidden');
		expect(await outcome(saveVersion(w.t.db, w.v['qiujin.villager'], { sessionId: s1, name: 'x' }, { collab: null }))).toBe('not_found');
		expect(await outcome(saveVersion(w.t.db, w.v.admin, { sessionId: s1, name: 'x' }, { collab: null }))).toBe('not_found');
		expect(await outcome(saveVersion(w.t.db, w.v.mediator, { sessionId: 999_999, name: 'x' }, { collab: null }))).toBe('not_found');
		expect(await counts(w.t)).toEqual(before);
	});

	it('requires a name of at most 100 characters and writes nothing otherwise', async () => {
		const before = await counts(w.t);
		expect(await outcome(saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '   ' }, { collab: null }))).toEqual({ code: 'invalid', name: 'err_required' });
		expect(await outcome(saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: undefined }, { collab: null }))).toEqual({ code: 'invalid', name: 'err_required' });
		expect(await outcome(saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '长'.repeat(101) }, { collab: null }))).toEqual({
			code: 'invalid',
			name: 'err_too_long'
		});
		expect(await outcome(saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '长'.repeat(100) }, { collab: null }))).toBe('ok');
		expect((await counts(w.t)).versions).toBe(before.versions + 1);
	});

	it('lets readers list and view versions, but only of records they may read', async () => {
		const [latest] = await listVersions(w.t.db, w.v.party, s1);
		const seen = await getVersion(w.t.db, w.v.party, s1, latest.id);
		expect(seen.access).toBe('read');
		expect(await outcome(listVersions(w.t.db, w.v['qiujin.villager'], s1))).toBe('not_found');
		expect(await outcome(getVersion(w.t.db, w.v['qiujin.villager'], s1, latest.id))).toBe('not_found');
		// A version is found only through its own record.
		expect(await outcome(getVersion(w.t.db, w.v.mediator, s2, latest.id))).toBe('not_found');
		expect(await listVersions(w.t.db, w.v.mediator, s2)).toEqual([]);
	});

	it('snapshots an empty record as an empty version', async () => {
		const { id } = await createVersion(w.t.db, { docName: recordDocName(s2), name: '空白', automatic: false, actorId: w.v.mediator.id }, { collab: null });
		const [row] = await w.t.db.select({ state: documentVersions.state }).from(documentVersions).where(eq(documentVersions.id, id));
		const doc = new Y.Doc();
		Y.applyUpdate(doc, row.state);
		expect(recordBlocks(doc)).toEqual([]);
	});
});
