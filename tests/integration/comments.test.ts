import { and, count, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { directDocument } from '../../src/lib/server/collab/direct-document';
import { commentHistory } from '../../src/lib/server/comments/comment-history';
import { listThreads } from '../../src/lib/server/comments/list-threads';
import { openThread } from '../../src/lib/server/comments/open-thread';
import { replyToThread } from '../../src/lib/server/comments/reply-to-thread';
import { COMMENT_WRITES } from '../../src/lib/server/comments/rules';
import { setThreadStatus } from '../../src/lib/server/comments/set-thread-status';
import { agreements, auditLog, caseParties, commentEntries, commentThreads, notices, places, rateLimits, userRoles, users } from '../../src/lib/server/db/schema';
import { agreementDocName, recordDocName } from '../../src/lib/server/mediation/document-access';
import { replaceRecord } from '../../src/lib/server/mediation/versions/record-document';
import { saveVersion } from '../../src/lib/server/mediation/versions/save-version';
import { listNotices } from '../../src/lib/server/notices/list-notices';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { createAnchor, plainField, resolveAnchor, type CommentAnchor } from '../../src/lib/shared/comment-anchor';
import { RECORD_FIELD } from '../../src/lib/shared/record-schema';
import type { Viewer } from '../../src/lib/types';
import * as versionPage from '../../src/routes/(app)/sessions/[id=id]/versions/[versionId=id]/+page.server';
import { routeEvent } from '../support/route-event';
import { outcome, setUpVersions, storedDoc, storeParagraphs, type VersionsWorld } from './versions-fixtures';

let w: VersionsWorld;
// The version page's restore action uses the process database: here that is this file's.
vi.mock('../../src/lib/server/db/index', async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => w.t.db }));
let s1: number;
let s2: number;
/** A party of another case, with an account: reads that case, not this one. */
let otherParty: Viewer;

beforeAll(async () => {
	w = await setUpVersions();
	[s1, s2] = w.sessionIds;
	const [village] = await w.t.db.select({ id: places.id }).from(places).where(eq(places.name, '城南村'));
	const [user] = await w.t.db
		.insert(users)
		.values({ username: 'party.other', name: '当事人 𠮷䶮', passwordHash: 'x', placeId: village.id })
		.returning({ id: users.id });
	await w.t.db.insert(userRoles).values({ userId: user.id, role: 'party' });
	const { id: otherCase } = await fileCase(w.t.db, w.v.villager, {
		channel: 'walk_in',
		categoryId: 3,
		placeId: village.id,
		title: '相邻排水纠纷',
		description: '排水沟堵塞',
		parties: [{ side: 'applicant', name: '当事人 𠮷䶮' }]
	});
	await w.t.db.update(caseParties).set({ userId: user.id }).where(eq(caseParties.caseId, otherCase));
	otherParty = (await loadViewer(w.t.db, user.id))!;
	await storeParagraphs(w.t, s1, ['申请人陈述：围墙越界三十公分。', '被申请人陈述：围墙建在老界址上。']);
}, 180_000);
afterAll(async () => {
	await w.t.destroy();
});

/** An anchor on the stored record, as the browser makes it from a selection of `passage`. */
async function anchorOn(sessionId: number, passage: string): Promise<CommentAnchor> {
	const doc = await storedDoc(w.t, sessionId);
	const at = plainField(doc, RECORD_FIELD).text.indexOf(passage);
	const anchor = createAnchor(doc, RECORD_FIELD, at, at + passage.length)!;
	doc.destroy();
	return anchor;
}

const threadForm = (a: CommentAnchor, body: string, mentions: number[] = []) => ({ ...a, body, mentions: mentions.map(String) });

describe('who may comment', () => {
	it('a party comments on the record they read; the mediator answers and resolves; the history lists it all', async () => {
		const doc = recordDocName(s1);
		const anchor = await anchorOn(s1, '围墙越界三十公分');
		const auditBefore = (await w.t.db.select({ n: count() }).from(auditLog))[0].n;
		const { threadId } = await openThread(w.t.db, w.v.party, doc, threadForm(anchor, '不是三十公分，是二十公分。𠮷', [w.v.panelist.id]), { ip: '10.0.0.9' });
		await replyToThread(w.t.db, w.v.mediator, doc, { threadId: String(threadId), body: '已核实，改为二十公分。', mentions: [] });
		expect(await setThreadStatus(w.t.db, w.v.mediator, doc, 'resolve', { threadId: String(threadId) })).toEqual({ status: 'resolved' });

		const view = await listThreads(w.t.db, w.v.panelist, doc);
		const thread = view.threads.find((t) => t.id === threadId)!;
		expect(thread).toMatchObject({ status: 'resolved', anchor: { quote: '围墙越界三十公分' } });
		expect(thread.entries.map((e) => [e.kind, e.author.id, e.body])).toEqual([
			['comment', w.v.party.id, '不是三十公分，是二十公分。𠮷'],
			['comment', w.v.mediator.id, '已核实，改为二十公分。'],
			['resolve', w.v.mediator.id, '']
		]);
		expect(thread.entries[0].mentions).toEqual([{ id: w.v.panelist.id, name: w.v.panelist.name }]);
		expect(view.people.map((p) => p.id).sort()).toEqual([w.v.panelist.id, w.v.party.id].sort());

		// Each write has its audit row, with the words' hash, written with it.
		const audit = await w.t.db.select({ action: auditLog.action, data: auditLog.data, ip: auditLog.ip }).from(auditLog).where(eq(auditLog.subjectId, doc));
		expect(audit.map((a) => a.action)).toEqual(['comment.open', 'comment.reply', 'comment.resolve']);
		expect(audit[0]).toMatchObject({ ip: '10.0.0.9', data: { threadId, mentions: [w.v.panelist.id] } });
		expect((await w.t.db.select({ n: count() }).from(auditLog))[0].n).toBe(auditBefore + 3);

		// The mentioned panelist finds it on his home page; it leads to the record.
		const [notice] = (await listNotices(w.t.db, w.v.panelist)).filter((n) => n.kind === 'comment_mention');
		expect(notice.path).toBe(`/sessions/${s1}#comment-${threadId}`);

		const history = await commentHistory(w.t.db, doc);
		expect(history.map((h) => [h.kind, h.by])).toEqual([
			['resolve', w.v.mediator.name],
			['reply', w.v.mediator.name],
			['open', w.v.party.name]
		]);
	});

	it('strangers and parties of other cases are refused as if nothing were there', async () => {
		const doc = recordDocName(s1);
		const anchor = await anchorOn(s1, '老界址');
		const { threadId } = await openThread(w.t.db, w.v.panelist, doc, threadForm(anchor, '老界址有无凭据？'));
		const before = await rows();
		for (const who of [w.v['qiujin.villager'], otherParty]) {
			expect(await outcome(listThreads(w.t.db, who, doc))).toBe('not_found');
			expect(await outcome(openThread(w.t.db, who, doc, threadForm(anchor, '我也要说')))).toBe('not_found');
			expect(await outcome(replyToThread(w.t.db, who, doc, { threadId: String(threadId), body: '插一句', mentions: [] }))).toBe('not_found');
			expect(await outcome(setThreadStatus(w.t.db, who, doc, 'resolve', { threadId: String(threadId) }))).toBe('not_found');
		}
		// A thread id of one document cannot be reached through another the person may read.
		expect(await outcome(replyToThread(w.t.db, w.v.party, recordDocName(s2), { threadId: String(threadId), body: '换个门进', mentions: [] }))).toBe('not_found');
		expect(await rows()).toEqual(before);
	});

	it("a party may not resolve someone else's thread, mention people off the case, or post an empty comment", async () => {
		const doc = recordDocName(s1);
		const anchor = await anchorOn(s1, '被申请人陈述');
		const { threadId } = await openThread(w.t.db, w.v.mediator, doc, threadForm(anchor, '请双方核对。'));
		expect(await outcome(setThreadStatus(w.t.db, w.v.party, doc, 'resolve', { threadId: String(threadId) }))).toBe('forbidden');
		expect(await outcome(openThread(w.t.db, w.v.party, doc, threadForm(anchor, '请村主任看看', [w.v['qiujin.villager'].id])))).toEqual({
			code: 'invalid',
			mentions: 'cm_err_mention_outside'
		});
		expect(await outcome(openThread(w.t.db, w.v.party, doc, threadForm(anchor, '   ')))).toEqual({ code: 'invalid', body: 'cm_err_body' });
		expect(await outcome(openThread(w.t.db, w.v.party, doc, { ...threadForm(anchor, '坏锚点'), from: '<script>' }))).toEqual({ code: 'invalid', from: 'cm_err_anchor' });
		// The party resolves and reopens their own thread; resolving twice is a conflict with a message.
		const own = await openThread(w.t.db, w.v.party, doc, threadForm(anchor, '我的意见'));
		expect(await setThreadStatus(w.t.db, w.v.party, doc, 'resolve', { threadId: String(own.threadId) })).toEqual({ status: 'resolved' });
		expect(await outcome(setThreadStatus(w.t.db, w.v.party, doc, 'resolve', { threadId: String(own.threadId) }))).toEqual({ code: 'conflict', _: 'cm_err_already_resolved' });
		expect(await setThreadStatus(w.t.db, w.v.party, doc, 'reopen', { threadId: String(own.threadId) })).toEqual({ status: 'open' });
	});
});

describe('the agreement draft', () => {
	it('its readers comment on its fields (parties too); strangers and other parties are refused; nothing enters its text', async () => {
		await w.t.db.insert(agreements).values({ caseId: w.caseId, facts: '围墙越界。', createdById: w.v.mediator.id, createdAt: new Date(), updatedAt: new Date() });
		const doc = agreementDocName(w.caseId);
		const local = new Y.Doc();
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('围墙越界。')]);
		local.getXmlFragment('facts').insert(0, [p]);
		const anchor = createAnchor(local, 'facts', 0, 4)!;
		const { threadId } = await openThread(w.t.db, w.v.party, doc, threadForm(anchor, '应写明越界多少。', [w.v.panelist.id]));
		const [notice] = (await listNotices(w.t.db, w.v.panelist)).filter((n) => n.kind === 'comment_mention' && n.payload.threadId === threadId);
		expect(notice.path).toBe(`/cases/${w.caseId}/agreement#comment-${threadId}`);
		expect(await outcome(openThread(w.t.db, w.v.party, doc, threadForm({ ...anchor, field: 'default' }, '放错地方')))).toEqual({ code: 'invalid', _: 'cm_err_anchor' });
		for (const who of [w.v['qiujin.villager'], otherParty]) {
			expect(await outcome(listThreads(w.t.db, who, doc))).toBe('not_found');
			expect(await outcome(openThread(w.t.db, who, doc, threadForm(anchor, '我也要说')))).toBe('not_found');
		}
		const [row] = await w.t.db.select({ facts: agreements.facts }).from(agreements).where(eq(agreements.caseId, w.caseId));
		expect(row.facts).toBe('围墙越界。');
	});
});

describe('the budget', () => {
	it('is counted per account before the work, atomically: parallel writes past it are refused and write nothing', async () => {
		const doc = recordDocName(s2);
		await storeParagraphs(w.t, s2, ['调解方案：拆除越界部分。']);
		const anchor = await anchorOn(s2, '拆除越界部分');
		await w.t.db.delete(rateLimits).where(eq(rateLimits.key, `${COMMENT_WRITES.name}:user:${w.v.advisor.id}`));
		// The advisor (township 法律顾问) reads the record and may comment: start one under budget.
		const { threadId } = await openThread(w.t.db, w.v.advisor, doc, threadForm(anchor, '方案可行。'));
		const results = await Promise.all(
			Array.from({ length: COMMENT_WRITES.max + 5 }, (_, i) => outcome(replyToThread(w.t.db, w.v.advisor, doc, { threadId: String(threadId), body: `第${i}条`, mentions: [] })))
		);
		expect(results.filter((r) => r === 'ok')).toHaveLength(COMMENT_WRITES.max - 1);
		expect(results.filter((r) => r === 'rate_limited')).toHaveLength(6);
		const [{ n }] = await w.t.db.select({ n: count() }).from(commentEntries).where(eq(commentEntries.threadId, threadId));
		expect(n).toBe(COMMENT_WRITES.max);
		// Another person's budget is their own.
		expect(await outcome(replyToThread(w.t.db, w.v.mediator, doc, { threadId: String(threadId), body: '收到', mentions: [] }))).toBe('ok');
	});
});

describe('anchors', () => {
	it('follow their text through an offline edit merged later', () => {
		const online = new Y.Doc();
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('申请人陈述：围墙越界三十公分。')]);
		online.getXmlFragment(RECORD_FIELD).insert(0, [p]);
		const offline = new Y.Doc();
		Y.applyUpdate(offline, Y.encodeStateAsUpdate(online));

		const text = plainField(online, RECORD_FIELD).text;
		const at = text.indexOf('越界三十公分');
		const anchor = createAnchor(online, RECORD_FIELD, at, at + '越界三十公分'.length)!;

		// Offline: a heading before, words inside the passage; online meanwhile: words before it.
		const h = new Y.XmlElement('heading');
		h.insert(0, [new Y.XmlText('调解笔录')]);
		offline.getXmlFragment(RECORD_FIELD).insert(0, [h]);
		(((offline.getXmlFragment(RECORD_FIELD).get(1) as Y.XmlElement).get(0)) as Y.XmlText).insert(at + 2, '约');
		((online.getXmlFragment(RECORD_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '（上午）');

		Y.applyUpdate(online, Y.encodeStateAsUpdate(offline));
		Y.applyUpdate(offline, Y.encodeStateAsUpdate(online));
		for (const doc of [online, offline]) {
			expect(plainField(doc, RECORD_FIELD).text).toBe('调解笔录\n（上午）申请人陈述：围墙越界约三十公分。');
			expect(resolveAnchor(doc, anchor)).toMatchObject({ status: 'anchored', text: '越界约三十公分' });
		}
		// Typing right after the passage does not grow it.
		((online.getXmlFragment(RECORD_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert('（上午）申请人陈述：围墙越界约三十公分'.length, '左右');
		expect(resolveAnchor(online, anchor)).toMatchObject({ status: 'anchored', text: '越界约三十公分' });
		// The whole passage deleted: nothing left to hold, and the quote is gone too.
		((online.getXmlFragment(RECORD_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).delete('（上午）申请人陈述：围墙'.length, '越界约三十公分'.length);
		expect(resolveAnchor(online, anchor)).toEqual({ status: 'lost' });
	});

	it('are found again by their quote after a version restore and given fresh positions, so later edits keep them', async () => {
		const doc = recordDocName(s2);
		const { id: versionId } = await saveVersion(w.t.db, w.v.mediator, { sessionId: s2, name: '方案定稿前' }, { collab: null });
		const anchor = await anchorOn(s2, '拆除越界部分');
		const { threadId } = await openThread(w.t.db, w.v.party, doc, threadForm(anchor, '拆除费用谁出？'));
		await storeParagraphs(w.t, s2, ['补充：费用各半。']);

		// Restored as the mediator restores it, through the version page's action.
		const restoring = (versionPage.actions.restore as (e: never) => Promise<unknown>)(
			routeEvent(`/sessions/${s2}/versions/${versionId}`, { user: w.v.mediator, method: 'POST', form: {}, params: { id: String(s2), versionId: String(versionId) } })
		);
		await expect(restoring.catch((err: unknown) => (isRedirect(err) ? err.location : err))).resolves.toBe(`/sessions/${s2}/versions/${versionId}?restored`);
		// The restore copied the version's text in as new items: the old positions point into deleted
		// ones and only the quote finds the passage; the thread row now holds positions in the new text.
		const restored = await storedDoc(w.t, s2);
		expect(resolveAnchor(restored, anchor)).toMatchObject({ status: 'reattached', text: '拆除越界部分' });
		restored.destroy();
		const back = await storedAnchor(threadId);
		expect(back.from).not.toBe(anchor.from);
		expect(await reanchorRows(doc, threadId)).toEqual([
			{ actorId: w.v.mediator.id, data: { docName: doc, threadId, cause: 'restore', previous: { from: anchor.from, to: anchor.to }, from: back.from, to: back.to } }
		]);

		// Words typed before the passage, and some of its own words changed: the quote no longer reads
		// anywhere, and the thread still holds its passage.
		await editStored(s2, (text) => {
			text.insert(0, '经协商，');
			const at = '经协商，调解方案：拆除'.length;
			text.delete(at, '越界'.length);
			text.insert(at, '多占');
		});
		const edited = await storedDoc(w.t, s2);
		expect(plainField(edited, RECORD_FIELD).text).toBe('经协商，调解方案：拆除多占部分。');
		expect(resolveAnchor(edited, anchor)).toEqual({ status: 'lost' });
		expect(resolveAnchor(edited, back)).toEqual({ status: 'anchored', from: '经协商，调解方案：'.length, to: '经协商，调解方案：拆除多占部分'.length, text: '拆除多占部分' });
		edited.destroy();
		// Listing it again finds it anchored and writes nothing.
		const view = await listThreads(w.t.db, w.v.party, doc);
		expect(view.threads.find((t) => t.id === threadId)?.anchor).toEqual(back);
		expect(await reanchorRows(doc, threadId)).toHaveLength(1);
	});

	it('found again when listed are rewritten once, however many listings run at once', async () => {
		const doc = recordDocName(s1);
		const anchor = await anchorOn(s1, '围墙建在老界址上');
		const { threadId } = await openThread(w.t.db, w.v.party, doc, threadForm(anchor, '老界址有证据吗？'));
		// The text replaced as a restore does, by a server that did not re-anchor (the thread is only found by its quote).
		const copy = await storedDoc(w.t, s1);
		await directDocument(w.t.db, null, doc).edit((live) => replaceRecord(live, copy));
		copy.destroy();
		const replaced = await storedDoc(w.t, s1);
		expect(resolveAnchor(replaced, anchor)).toMatchObject({ status: 'reattached', text: '围墙建在老界址上' });
		replaced.destroy();

		const views = await Promise.all([listThreads(w.t.db, w.v.party, doc), listThreads(w.t.db, w.v.mediator, doc), listThreads(w.t.db, w.v.panelist, doc)]);
		const back = await storedAnchor(threadId);
		expect(back.from).not.toBe(anchor.from);
		for (const view of views) expect(view.threads.find((t) => t.id === threadId)?.anchor).toEqual(back);
		const written = await reanchorRows(doc, threadId);
		expect(written).toHaveLength(1);
		expect(written[0].data).toMatchObject({ cause: 'list', previous: { from: anchor.from, to: anchor.to }, from: back.from, to: back.to });
		// Every other thread of the record that was found again is rewritten once too.
		const all = await w.t.db.select({ data: auditLog.data }).from(auditLog).where(eq(auditLog.action, 'comment.reanchor'));
		const perThread = all.map((r) => (r.data as { docName: string; threadId: number })).filter((d) => d.docName === doc).map((d) => d.threadId);
		expect(new Set(perThread).size).toBe(perThread.length);

		await editStored(s1, (text) => text.insert(text.length - 1, '（有1983年的地契）'));
		const edited = await storedDoc(w.t, s1);
		expect(resolveAnchor(edited, back)).toMatchObject({ status: 'anchored', text: '围墙建在老界址上' });
		edited.destroy();
	});
});

/** The thread row's anchor as stored. */
async function storedAnchor(threadId: number): Promise<CommentAnchor> {
	const [row] = await w.t.db.select().from(commentThreads).where(eq(commentThreads.id, threadId));
	return { field: row.field, from: row.anchorFrom, to: row.anchorTo, quote: row.quote };
}

/** The `comment.reanchor` audit rows of one thread. */
async function reanchorRows(docName: string, threadId: number) {
	const all = await w.t.db
		.select({ actorId: auditLog.actorId, data: auditLog.data })
		.from(auditLog)
		.where(and(eq(auditLog.action, 'comment.reanchor'), eq(auditLog.subjectId, docName)));
	return all.filter((r) => (r.data as { threadId: number }).threadId === threadId);
}

/** An editor's edit of the record's last paragraph that holds text, appended to the stored log. */
async function editStored(sessionId: number, edit: (text: Y.XmlText) => void): Promise<void> {
	await directDocument(w.t.db, null, recordDocName(sessionId)).edit((doc) => {
		const nodes = textNodes(doc);
		edit(nodes[nodes.length - 1]);
	});
}

/** The Y.XmlText nodes of the record, in order. */
function textNodes(doc: Y.Doc): Y.XmlText[] {
	const runs: Y.XmlText[] = [];
	const walk = (el: Y.XmlElement | Y.XmlFragment) => {
		for (const child of el.toArray()) {
			if (child instanceof Y.XmlText) runs.push(child);
			else if (child instanceof Y.XmlElement) walk(child);
		}
	};
	walk(doc.getXmlFragment(RECORD_FIELD));
	return runs;
}

async function rows() {
	const n = async (table: typeof commentThreads | typeof commentEntries | typeof notices | typeof auditLog) => (await w.t.db.select({ n: count() }).from(table))[0].n;
	return { threads: await n(commentThreads), entries: await n(commentEntries), notices: await n(notices), audit: await n(auditLog) };
}
