import { isActionFailure, isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { createVersion } from '../../src/lib/server/mediation/versions/create-version';
import * as recordPage from '../../src/routes/(app)/sessions/[id=id]/+page.server';
import * as versionPage from '../../src/routes/(app)/sessions/[id=id]/versions/[versionId=id]/+page.server';
import type { Viewer } from '../../src/lib/types';
import { counts, setUpVersions, storeParagraphs, storedText, type VersionsWorld } from './versions-fixtures';
import { routeEvent } from '../support/route-event';

/**
 * The record pages guard themselves: every load and action asks for a user, hides records outside the
 * viewer's cases as 404, refuses readers' writes with 403, and turns a bad name into a form failure.
 * The routes use the process database; here that is the test database.
 */
type Handler = (event: RequestEvent) => unknown;
let w: VersionsWorld;
// The routes' getDb() answers with this file's database.
vi.mock('../../src/lib/server/db/index', async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => w.t.db }));
let s1: number;
let versionId: number;

beforeAll(async () => {
	w = await setUpVersions();
	[s1] = w.sessionIds;
	await storeParagraphs(w.t, s1, ['申请人陈述：围墙越界。']);
	({ id: versionId } = await createVersion(w.t.db, { docName: recordDocName(s1), name: '初稿', automatic: false, actorId: w.v.mediator.id }, { collab: null }));
	// Seeding hashes every demo password with argon2id: slow on a busy machine.
}, 180_000);
afterAll(async () => {
	await w.t.destroy();
});

function fakeEvent(user: Viewer | null, method: 'GET' | 'POST', params: Record<string, string>, form: Record<string, string> = {}): RequestEvent {
	return routeEvent(`/sessions/${params.id}`, { user, method, params, form });
}

async function outcome(run: () => unknown): Promise<unknown> {
	try {
		const result = await run();
		return isActionFailure(result) ? { status: result.status, ...(result.data as unknown as Record<string, unknown>) } : 'ok';
	} catch (err) {
		if (isHttpError(err)) return err.status;
		if (isRedirect(err)) return `redirect ${err.location}`;
		throw err;
	}
}

const load = (user: Viewer | null, id = String(s1)) => outcome(() => (recordPage.load as Handler)(fakeEvent(user, 'GET', { id })));
const save = (user: Viewer | null, name: string, id = String(s1)) => outcome(() => (recordPage.actions.saveVersion as Handler)(fakeEvent(user, 'POST', { id }, { name })));
const view = (user: Viewer | null, v = String(versionId)) => outcome(() => (versionPage.load as Handler)(fakeEvent(user, 'GET', { id: String(s1), versionId: v })));
const restore = (user: Viewer | null, v = String(versionId)) =>
	outcome(() => (versionPage.actions.restore as Handler)(fakeEvent(user, 'POST', { id: String(s1), versionId: v })));

describe('record routes', () => {
	it('send the signed-out to sign in (GET) or answer 401 (POST)', async () => {
		expect(await load(null)).toMatch(/^redirect \/login\?next=/);
		expect(await view(null)).toMatch(/^redirect \/login\?next=/);
		expect(await save(null, 'x')).toBe(401);
		expect(await restore(null)).toBe(401);
	});

	it('answer 404 for a record outside the viewer\'s cases, a missing one, or a malformed id', async () => {
		const before = await counts(w.t);
		for (const who of ['qiujin.villager', 'admin']) {
			expect(await load(w.v[who])).toBe(404);
			expect(await view(w.v[who])).toBe(404);
			expect(await save(w.v[who], '越权')).toBe(404);
			expect(await restore(w.v[who])).toBe(404);
		}
		expect(await load(w.v.mediator, '999999')).toBe(404);
		expect(await load(w.v.mediator, 'abc')).toBe(404);
		expect(await view(w.v.mediator, '999999')).toBe(404);
		expect(await counts(w.t)).toEqual(before);
	});

	it('let a party read the record and its versions but not write either (403)', async () => {
		const before = await counts(w.t);
		const page = (await (recordPage.load as Handler)(fakeEvent(w.v.party, 'GET', { id: String(s1) }))) as {
			record: { access: string; capacity: string };
			versions: unknown[];
		};
		expect(page.record).toMatchObject({ access: 'read', capacity: 'party' });
		expect(page.versions).toHaveLength(1);
		expect(await view(w.v.party)).toBe('ok');
		expect(await save(w.v.party, '当事人版本')).toBe(403);
		expect(await restore(w.v.party)).toBe(403);
		expect(await counts(w.t)).toEqual(before);
	});

	it('refill the form on a bad name, and save and restore for the mediator', async () => {
		expect(await save(w.v.mediator, '  ')).toEqual({ status: 400, message: 'err_form', fields: { name: 'err_required' }, values: { name: '  ' }, said: { message: '请检查标出的内容后再提交。', name: '此项必填。' } });
		expect(await save(w.v.mediator, '第一次调解结束')).toBe('ok');
		await storeParagraphs(w.t, s1, ['之后的修改']);
		expect(await restore(w.v.mediator)).toBe(`redirect /sessions/${s1}/versions/${versionId}?restored`);
		expect(await storedText(w.t, s1)).toEqual(['申请人陈述：围墙越界。']);
	});
});
