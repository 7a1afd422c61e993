import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RECORD_FIELD, RECORD_META } from '../../src/lib/shared/record-schema';
import { ensureTemplate, templateUpdate } from '../../src/lib/shared/record-template';
import { recordBlocks } from '../../src/lib/server/mediation/versions/record-document';
import { until, type TestClient } from '../support/collab-harness';
import { appendParagraph, setUpVersions, startLiveRecords, storedText, type LiveRecords, type VersionsWorld } from './versions-fixtures';

let w: VersionsWorld;
let live: LiveRecords;
const open = (sessionId: number, who: string) => live.open(sessionId, who);
const headings = (doc: Y.Doc) => recordBlocks(doc).filter((b) => b.kind === 'heading').map((b) => b.text);
const SECTIONS = ['调解笔录', '权利义务告知', '申请人陈述', '被申请人陈述', '查明的事实', '评理团意见', '调解方案', '调解结果', '签名'];

beforeAll(async () => {
	w = await setUpVersions();
	live = await startLiveRecords(w, ['mediator', 'panelist']);
	// Seeding hashes every demo password with argon2id: slow on a busy machine.
}, 180_000);
afterEach(() => live.closeClients());
afterAll(async () => {
	await live.close();
	await w.t.destroy();
});

describe('the 调解笔录 template', () => {
	it('is the same update in every browser, with every section of a mediation record', () => {
		expect(templateUpdate()).toEqual(templateUpdate());
		const doc = new Y.Doc();
		expect(ensureTemplate(doc)).toBe(true);
		expect(headings(doc)).toEqual(SECTIONS);
		const text = recordBlocks(doc).map((b) => b.text).join('\n');
		for (const placeholder of ['时间：', '地点：', '参加人员：', '第二十三条']) expect(text).toContain(placeholder);
		expect(doc.getMap(RECORD_META).get('initialised')).toBe(true);
	});

	it('is inserted once when two editors open an empty record at the same moment', async () => {
		const [s1] = w.sessionIds;
		const a = open(s1, 'mediator');
		const b = open(s1, 'panelist');
		await until(() => a.provider.synced && b.provider.synced, 'sync');
		// Both see an empty, uninitialised record and both insert before hearing of the other.
		expect(ensureTemplate(a.doc)).toBe(true);
		expect(ensureTemplate(b.doc)).toBe(true);
		// Each then writes a line; once each sees the other's and its own is stored, so is the template
		// each sent before it.
		appendParagraph(a.doc, '调解员甲');
		appendParagraph(b.doc, '评理员乙');
		const both = (c: TestClient) => recordBlocks(c.doc).filter((x) => x.text === '调解员甲' || x.text === '评理员乙').length === 2;
		await until(() => a.isSaved() && b.isSaved() && both(a) && both(b), 'convergence');
		expect(a.doc.getXmlFragment(RECORD_FIELD).toString()).toBe(b.doc.getXmlFragment(RECORD_FIELD).toString());
		expect(headings(a.doc)).toEqual(SECTIONS);
		expect(headings(b.doc)).toEqual(SECTIONS);
		expect((await storedText(w.t, s1)).filter((t) => t === '调解笔录')).toHaveLength(1);
	});

	it('is never inserted again: not over existing text, not after everything was deleted', async () => {
		const [s1, s2] = w.sessionIds;
		const again = open(s1, 'mediator');
		await until(() => again.provider.synced, 'sync');
		expect(ensureTemplate(again.doc)).toBe(false);

		const c = open(s2, 'mediator');
		await until(() => c.provider.synced, 'sync');
		expect(ensureTemplate(c.doc)).toBe(true);
		const fragment = c.doc.getXmlFragment(RECORD_FIELD);
		fragment.delete(0, fragment.length);
		expect(ensureTemplate(c.doc)).toBe(false);
		expect(fragment.length).toBe(0);
	});

	it('replaces the empty paragraph an editor shows for a blank record', () => {
		const doc = new Y.Doc();
		doc.getXmlFragment(RECORD_FIELD).insert(0, [new Y.XmlElement('paragraph')]);
		expect(ensureTemplate(doc)).toBe(true);
		expect(recordBlocks(doc)[0]).toEqual({ kind: 'heading', level: 2, text: '调解笔录' });
	});
});
