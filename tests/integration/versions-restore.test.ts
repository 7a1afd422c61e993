import { and, asc, desc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_FIELD } from '../../src/lib/shared/record-schema';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { auditLog, collabUpdates } from '../../src/lib/server/db/schema';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { recordBlocks } from '../../src/lib/server/mediation/versions/record-document';
import { restoreVersion } from '../../src/lib/server/mediation/versions/restore-version';
import { saveVersion } from '../../src/lib/server/mediation/versions/save-version';
import { until, type TestClient } from '../support/collab-harness';
import { appendParagraph, counts, outcome, setUpVersions, startLiveRecords, storeParagraphs, storedDoc, storedText, type LiveRecords, type VersionsWorld } from './versions-fixtures';

let w: VersionsWorld;
let s1: number;
let s2: number;
let live: LiveRecords;
const open = (sessionId: number, who: string) => live.open(sessionId, who);
const texts = (c: TestClient) => recordBlocks(c.doc).map((b) => b.text);

beforeAll(async () => {
	w = await setUpVersions();
	[s1, s2] = w.sessionIds;
	live = await startLiveRecords(w, ['mediator', 'panelist', 'party']);
	// Seeding hashes every demo password with argon2id: slow on a busy machine.
}, 180_000);
afterEach(() => live.closeClients());
afterAll(async () => {
	await live.close();
	await w.t.destroy();
});

const rowsOf = async (sessionId: number) =>
	w.t.db
		.select({ id: collabUpdates.id, data: collabUpdates.data })
		.from(collabUpdates)
		.where(eq(collabUpdates.docName, recordDocName(sessionId)))
		.orderBy(asc(collabUpdates.id));

describe('restoring a version', () => {
	it('with nobody connected: appends one new update, keeps the log, and the record reads as the version', async () => {
		await storeParagraphs(w.t, s1, ['申请人陈述：围墙越界。']);
		const { id } = await saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '第一次调解结束' }, { collab: null });
		await storeParagraphs(w.t, s1, ['被申请人陈述：没有越界。', '（误记，待删）']);
		expect(await storedText(w.t, s1)).toEqual(['申请人陈述：围墙越界。', '被申请人陈述：没有越界。', '（误记，待删）']);

		const logBefore = await rowsOf(s1);
		const before = await counts(w.t);
		const { update, name } = await restoreVersion(w.t.db, w.v.mediator, { sessionId: s1, versionId: id }, { ip: '10.0.0.8', collab: null });
		expect(name).toBe('第一次调解结束');
		expect(update.byteLength).toBeGreaterThan(2);

		// History is only added to: every earlier row is still there, byte for byte, and one row follows.
		const logAfter = await rowsOf(s1);
		expect(logAfter.slice(0, logBefore.length)).toEqual(logBefore);
		expect(logAfter).toHaveLength(logBefore.length + 1);
		expect(logAfter.at(-1)!.data).toEqual(update);
		expect(await storedText(w.t, s1)).toEqual(['申请人陈述：围墙越界。']);

		const [audit] = await w.t.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'record.version_restore'), eq(auditLog.subjectId, recordDocName(s1))))
			.orderBy(desc(auditLog.id))
			.limit(1);
		expect(audit).toMatchObject({ actorId: w.v.mediator.id, ip: '10.0.0.8', data: { versionId: id, name: '第一次调解结束', updateBytes: update.byteLength } });
		expect(await counts(w.t)).toEqual({ ...before, audit: before.audit + 1, updates: before.updates + 1 });
	});

	it('with editors connected: every client receives the restore live, and it is stored', async () => {
		const mediator = open(s2, 'mediator');
		const panelist = open(s2, 'panelist');
		const party = open(s2, 'party');
		const clients = [mediator, panelist, party];
		await until(() => clients.every((c) => c.provider.synced), 'sync');
		appendParagraph(mediator.doc, '调解方案：拆除越界部分。');
		await until(() => mediator.isSaved() && clients.every((c) => texts(c).join() === '调解方案：拆除越界部分。'), 'mediator saved and seen');
		const { id } = await saveVersion(w.t.db, w.v.panelist, { sessionId: s2, name: '方案初稿' }, { collab: live.h.collab });

		appendParagraph(panelist.doc, '评理团意见：应按老界址。');
		const list = panelist.doc.getXmlFragment(RECORD_FIELD);
		list.delete(0, 1);
		await until(() => texts(party).join() === '评理团意见：应按老界址。', 'party sees the later text');

		await restoreVersion(w.t.db, w.v.mediator, { sessionId: s2, versionId: id }, { collab: live.h.collab });
		await until(() => clients.every((c) => texts(c).join() === '调解方案：拆除越界部分。'), 'every client shows the version');
		// Stored before restoreVersion returned.
		expect(await storedText(w.t, s2)).toEqual(['调解方案：拆除越界部分。']);

		// Editing goes on from the restored text, for everyone.
		appendParagraph(party.doc, '当事人不能写');
		appendParagraph(panelist.doc, '调解结果：双方同意。');
		await until(() => texts(mediator).join('|') === '调解方案：拆除越界部分。|调解结果：双方同意。', 'edits after restore');
		await until(() => panelist.isSaved(), 'panelist saved');
		expect(await storedText(w.t, s2)).toEqual(['调解方案：拆除越界部分。', '调解结果：双方同意。']);
	});

	it('refuses readers, hides records from people outside the case, never crosses records, and changes nothing', async () => {
		const { id } = await saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '再存一版' }, { collab: null });
		const before = await counts(w.t);
		const text = await storedText(w.t, s1);
		expect(await outcome(restoreVersion(w.t.db, w.v.party, { sessionId: s1, versionId: id }, { collab: null }))).toBe('forbidden');
		expect(await outcome(restoreVersion(w.t.db, w.v.supervisor, { sessionId: s1, versionId: id }, { collab: null }))).toBe('forbidden');
		expect(await outcome(restoreVersion(w.t.db, w.v['qiujin.villager'], { sessionId: s1, versionId: id }, { collab: null }))).toBe('not_found');
		expect(await outcome(restoreVersion(w.t.db, w.v.mediator, { sessionId: s2, versionId: id }, { collab: null }))).toBe('not_found');
		expect(await outcome(restoreVersion(w.t.db, w.v.mediator, { sessionId: s1, versionId: 999_999 }, { collab: null }))).toBe('not_found');
		expect(await counts(w.t)).toEqual(before);
		expect(await storedText(w.t, s1)).toEqual(text);
	});

	it('keeps formatting and structure when restoring (headings, lists, bold)', async () => {
		// An editor replaces the record with a heading and a bulleted list holding bold text.
		const doc = await storedDoc(w.t, s1);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const heading = new Y.XmlElement('heading');
		(heading as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', 3);
		heading.insert(0, [new Y.XmlText('调解结果')]);
		const bold = new Y.XmlText();
		const para = new Y.XmlElement('paragraph');
		para.insert(0, [bold]);
		const item = new Y.XmlElement('listItem');
		item.insert(0, [para]);
		const list = new Y.XmlElement('bulletList');
		list.insert(0, [item]);
		doc.transact(() => {
			const fragment = doc.getXmlFragment(RECORD_FIELD);
			fragment.delete(0, fragment.length);
			fragment.insert(0, [heading, list]);
			bold.insert(0, '十日内拆除', { bold: true });
		});
		await postgresStore(w.t.db).append(recordDocName(s1), updates);
		const { id } = await saveVersion(w.t.db, w.v.mediator, { sessionId: s1, name: '带格式' }, { collab: null });
		await storeParagraphs(w.t, s1, ['之后的修改']);
		await restoreVersion(w.t.db, w.v.mediator, { sessionId: s1, versionId: id }, { collab: null });

		const restored = await storedDoc(w.t, s1);
		expect(recordBlocks(restored)).toEqual([
			{ kind: 'heading', level: 3, text: '调解结果' },
			{ kind: 'item', text: '十日内拆除' }
		]);
		expect(restored.getXmlFragment(RECORD_FIELD).toString()).toBe(
			// Yjs prints node names in lower case.
			'<heading level="3">调解结果</heading><bulletlist><listitem><paragraph><bold>十日内拆除</bold></paragraph></listitem></bulletlist>'
		);
	});
});
