import type { RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { unfreezeAgreement } from '../../src/lib/server/agreements/unfreeze-agreement';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { verifySigningCode } from '../../src/lib/server/agreements/verify-signing-code';
import { SIGNING_GRANT_COOKIE } from '../../src/lib/server/agreements/signing-invitation';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import type { Db } from '../../src/lib/server/db';
import { agreementFrozenTexts, caseParties, places, userRoles, users } from '../../src/lib/server/db/schema';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { createVersion } from '../../src/lib/server/mediation/versions/create-version';
import { restoreVersion } from '../../src/lib/server/mediation/versions/restore-version';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { TextDiff } from '../../src/lib/server/diffs/text-diff';
import type { AgreementChanges } from '../../src/lib/server/agreements/agreement-changes';
import type { VersionComparison } from '../../src/lib/server/mediation/versions/compare-versions';
import { RECORD_FIELD } from '../../src/lib/shared/record-schema';
import type { Viewer } from '../../src/lib/types';
import * as comparePage from '../../src/routes/(app)/sessions/[id=id]/versions/compare/+page.server';
import * as agreementPage from '../../src/routes/(app)/cases/[id=id]/agreement/+page.server';
import * as changesPage from '../../src/routes/(app)/cases/[id=id]/agreement/changes/+page.server';
import * as signPage from '../../src/routes/(public)/sign/[token]/+page.server';
import { routeEvent, routeOutcome } from '../support/route-event';
import { codeFor, draftAgreement, invite } from './agreement-fixtures';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';
import { setUpVersions, storeParagraphs, storedDoc, type VersionsWorld } from './versions-fixtures';

/**
 * Version diffs through the real loads: the record's versions compared with each other and with now,
 * the agreement against its last unfrozen text (on its page, its changes page and a party's signing
 * link). Whoever reads the record or agreement may compare; a stranger, a party of another case and
 * the signed-out may not; a malformed or foreign version id is a 404, never a 500.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => database.db as Db }));

type Handler = (e: RequestEvent) => unknown;
const inserted = (d: TextDiff) => d.blocks.flatMap((b) => b.parts.filter((p) => p.op === 'ins').map((p) => p.text)).join('');
const deleted = (d: TextDiff) => d.blocks.flatMap((b) => b.parts.filter((p) => p.op === 'del').map((p) => p.text)).join('');

/** A user with the party role who is a party of another case in the same village, not of the world's. */
async function otherCaseParty(db: Db, villageName: string, filer: Viewer): Promise<Viewer> {
	const [village] = await db.select({ id: places.id }).from(places).where(eq(places.name, villageName));
	const [u] = await db.insert(users).values({ username: 'other.party', name: '王𠮷祥', passwordHash: 'x', placeId: village.id }).returning({ id: users.id });
	await db.insert(userRoles).values({ userId: u.id, role: 'party' });
	const { id } = await fileCase(db, filer, {
		channel: 'walk_in',
		categoryId: 3,
		placeId: village.id,
		title: '另一宗排水纠纷',
		description: '排水沟堵塞',
		parties: [{ side: 'applicant', name: '王𠮷祥' }]
	});
	await db.update(caseParties).set({ userId: u.id }).where(eq(caseParties.caseId, id));
	return (await loadViewer(db, u.id))!;
}

/** Edits a stored record as an editor would: inserts `text` at `offset` of paragraph `index`. */
async function insertInParagraph(w: VersionsWorld, sessionId: number, index: number, offset: number, text: string): Promise<void> {
	const doc = await storedDoc(w.t, sessionId);
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const p = doc.getXmlFragment(RECORD_FIELD).get(index) as Y.XmlElement;
	(p.get(0) as Y.XmlText).insert(offset, text);
	await postgresStore(w.t.db).append(recordDocName(sessionId), updates);
	doc.destroy();
}

describe('record version diffs', () => {
	let w: VersionsWorld;
	let s1: number;
	let s2: number;
	let first: number;
	let second: number;
	let foreign: number;
	let stranger: Viewer;

	beforeAll(async () => {
		w = await setUpVersions();
		database.db = w.t.db;
		[s1, s2] = w.sessionIds;
		await storeParagraphs(w.t, s1, ['申请人陈述：围墙越界。', '被申请人陈述：围墙是老宅基线。']);
		({ id: first } = await createVersion(w.t.db, { docName: recordDocName(s1), name: '第一次调解前', automatic: false, actorId: w.v.mediator.id }, { collab: null }));
		await insertInParagraph(w, s1, 0, 10, '约半米');
		await storeParagraphs(w.t, s1, ['评理员意见：按𠮷字号地契为准。']);
		({ id: second } = await createVersion(w.t.db, { docName: recordDocName(s1), name: '评理之后', automatic: false, actorId: w.v.panelist.id }, { collab: null }));
		await storeParagraphs(w.t, s2, ['另一次调解的笔录。']);
		({ id: foreign } = await createVersion(w.t.db, { docName: recordDocName(s2), name: '别的记录', automatic: false, actorId: w.v.mediator.id }, { collab: null }));
		stranger = await otherCaseParty(w.t.db, '城南村', w.v.villager);
	}, 180_000);
	afterAll(() => w.t.destroy());

	const load = (user: Viewer | null, query: string, id = String(s1)) =>
		routeOutcome(() => (comparePage.load as Handler)(routeEvent(`/sessions/${id}/versions/compare${query}`, { user, params: { id } })));

	it('shows the words inserted between two versions, and who kept each', async () => {
		const c = ((await load(w.v.mediator, `?from=${first}&to=${second}`)) as { comparison: VersionComparison }).comparison;
		expect(inserted(c.diff)).toBe('约半米评理员意见：按𠮷字号地契为准。');
		expect(deleted(c.diff)).toBe('');
		expect(c.diff.blocks.map((b) => b.change)).toEqual(['changed', 'same', 'added']);
		expect(c.diff.blocks[0].parts).toEqual([
			{ op: 'same', text: '申请人陈述：围墙越界' },
			{ op: 'ins', text: '约半米' },
			{ op: 'same', text: '。' }
		]);
		expect(c.from).toMatchObject({ kind: 'version', version: { id: first, createdBy: w.v.mediator.name } });
		expect(c.to).toMatchObject({ kind: 'version', version: { id: second, createdBy: w.v.panelist.name } });
		// Reversed, the same words are deletions.
		const back = ((await load(w.v.mediator, `?from=${second}&to=${first}`)) as { comparison: VersionComparison }).comparison;
		expect(deleted(back.diff)).toBe('约半米评理员意见：按𠮷字号地契为准。');
	});

	it('compares a version with now, by default the newest one, and names a restore in between', async () => {
		const same = ((await load(w.v.party, '')) as { comparison: VersionComparison }).comparison;
		expect(same.from).toMatchObject({ kind: 'version', version: { id: second } });
		expect(same.to.kind).toBe('now');
		expect(same.diff.insertions + same.diff.deletions).toBe(0);

		await restoreVersion(w.t.db, w.v.mediator, { sessionId: s1, versionId: first }, { collab: null });
		const c = ((await load(w.v.panelist, `?from=${second}&to=now`)) as { comparison: VersionComparison }).comparison;
		expect(deleted(c.diff)).toBe('约半米评理员意见：按𠮷字号地契为准。');
		expect(c.events).toEqual([expect.objectContaining({ action: 'version_restore', actor: w.v.mediator.name, versionName: '第一次调解前' })]);
	});

	it('names who accepted whose suggestion in between, from the row stored with the update', async () => {
		const doc = await storedDoc(w.t, s1);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		((doc.getXmlFragment(RECORD_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '（已核实）');
		doc.destroy();
		const suggestionId = `${w.v.party.id}|k3x9|${w.v.party.name}`;
		await postgresStore(w.t.db).append(recordDocName(s1), updates, [
			{ actorId: w.v.mediator.id, suggestionId, authorId: w.v.party.id, kinds: ['insertion'], outcome: 'accepted', text: '（已核实）' }
		]);
		const c = ((await load(w.v.party, `?from=${second}&to=now`)) as { comparison: VersionComparison }).comparison;
		expect(inserted(c.diff)).toContain('（已核实）');
		expect(c.events.at(-1)).toEqual(expect.objectContaining({ action: 'suggestion_settle', actor: w.v.mediator.name, author: w.v.party.name, outcome: 'accepted' }));
	});

	it('reads an open suggestion as not yet part of the record: suggested words out, words suggested away still in', async () => {
		const doc = await storedDoc(w.t, s1);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const text = (doc.getXmlFragment(RECORD_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		const id = `${w.v.party.id}|q7|${w.v.party.name}`;
		text.insert(0, '（待定）', { insertion: { id } });
		text.format(text.length - 1, 1, { deletion: { id } });
		doc.destroy();
		await postgresStore(w.t.db).append(recordDocName(s1), updates);
		const c = ((await load(w.v.party, `?from=${second}&to=now`)) as { comparison: VersionComparison }).comparison;
		expect(inserted(c.diff)).not.toContain('（待定）');
		expect(c.diff.blocks[0].parts.map((p) => p.text).join('')).toMatch(/。$/);
	});

	it('is for those who read the record only: 404 for a stranger, a party of another case, another township', async () => {
		expect(await load(null, `?from=${first}`)).toMatch(/^redirect \/login/);
		for (const who of [stranger, w.v['qiujin.villager'], w.v.admin]) expect(await load(who, `?from=${first}&to=${second}`)).toBe(404);
	});

	it('answers 404, not 500, for a malformed, missing or foreign version id', async () => {
		for (const q of [`?from=abc`, `?from=0`, `?from=-1`, `?from=1e3`, `?from=${first}&to=x`, `?from=999999999`, `?from=${foreign}`, `?from=${first}&to=${foreign}`, `?from=99999999999999999999`])
			expect(await load(w.v.mediator, q), q).toBe(404);
		expect(await load(w.v.mediator, `?from=${first}`, '999999')).toBe(404);
		expect(await load(w.v.mediator, `?from=${first}`, 'abc')).toBe(404);
	});
});

describe('agreement diffs after an unfreeze', () => {
	let w: PanelWorld;
	let stranger: Viewer;
	const now = new Date();

	beforeAll(async () => {
		w = await setUpPanelWorld();
		database.db = w.t.db;
		await draftAgreement(w, now);
		stranger = await otherCaseParty(w.t.db, '城南村', w.viewers.mediator);
	}, 180_000);
	afterAll(() => w.t.destroy());

	const page = (user: Viewer | null) =>
		routeOutcome(() => (agreementPage.load as unknown as Handler)(routeEvent(`/cases/${w.caseId}/agreement`, { user, params: { id: String(w.caseId) } })));
	const changes = (user: Viewer | null, id = String(w.caseId)) =>
		routeOutcome(() => (changesPage.load as unknown as Handler)(routeEvent(`/cases/${id}/agreement/changes`, { user, params: { id } })));

	it('has nothing to compare before the first unfreeze', async () => {
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now });
		expect(await page(w.viewers.party)).toMatchObject({ changes: null, earlierFrozen: false });
		expect(await changes(w.viewers.party)).toMatchObject({ changes: null });
	});

	it('keeps the frozen text at the unfreeze and shows the draft against it', async () => {
		await unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '当事人要求改期限' }, { now });
		const kept = await w.t.db.select().from(agreementFrozenTexts);
		expect(kept).toHaveLength(1);
		expect(kept[0]).toMatchObject({ revision: 1, reason: '当事人要求改期限', unfrozenById: w.viewers.mediator.id });
		expect(kept[0].text).toContain('李某砌墙越界。');
		await updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { facts: '李某砌墙越界约半米。', issues: '围墙位置。', otherTerms: '互不追究。' }, { now });
		expect(await page(w.viewers.party)).toMatchObject({ changes: null, earlierFrozen: true });
		const c = ((await changes(w.viewers.party)) as { changes: AgreementChanges }).changes;
		expect(c.current).toEqual({ kind: 'draft' });
		expect(inserted(c.diff)).toContain('约半米');
		expect(c.previous).toMatchObject({ revision: 1, unfrozenBy: w.viewers.mediator.name, reason: '当事人要求改期限' });
	});

	it('shows the party what changed on the agreement page and the signing link once frozen again', async () => {
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now });
		const seen = (await page(w.viewers.party)) as { changes: AgreementChanges; earlierFrozen: boolean };
		expect(seen.earlierFrozen).toBe(true);
		expect(seen.changes.current).toMatchObject({ kind: 'frozen', revision: 2, frozenBy: w.viewers.mediator.name });
		expect(inserted(seen.changes.diff)).toBe('2约半米');
		expect(deleted(seen.changes.diff)).toBe('1');

		const token = await invite(w, w.partyIds.respondent, now);
		const signLoad = (cookies: Map<string, string>) =>
			routeOutcome(() => (signPage.load as unknown as Handler)(routeEvent(`/sign/${token}`, { params: { token }, cookies })));
		expect(await signLoad(new Map())).toMatchObject({ changes: null, view: { verified: false } });
		const { grant } = await verifySigningCode(w.t.db, token, await codeFor(w, token, '10.9.0.1', now), '10.9.0.1', { now });
		const signed = (await signLoad(new Map([[SIGNING_GRANT_COOKIE, grant]]))) as { changes: AgreementChanges };
		expect(inserted(signed.changes.diff)).toBe('2约半米');
	});

	it('is for those who read the agreement only', async () => {
		expect(await changes(null)).toMatch(/^redirect \/login/);
		expect(await changes(stranger)).toBe(404);
		expect(await changes(w.viewers['qiujin.villager'])).toBe(404);
		expect(await changes(w.viewers.mediator, '99999999')).toBe(404);
		expect(await changes(w.viewers.mediator, 'abc')).toBe(404);
		expect(await page(stranger)).toBe(404);
	});
});
