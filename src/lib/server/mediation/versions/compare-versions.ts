import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { directDocument } from '../../collab/direct-document';
import type { CollabServer } from '../../collab/api';
import type { Db } from '../../db';
import { auditLog, users } from '../../db/schema';
import { diffBlocks, type TextDiff } from '../../diffs/text-diff';
import { AppError } from '../../errors';
import { suggestionAuthor } from '../../../shared/suggestion-id';
import { recordAccess } from './get-record-session';
import { findVersion, listVersions, type VersionSummary } from './list-versions';
import { documentFromState, recordBlocks } from './record-document';

/** One side of a comparison: a named version, or the record as it is now. */
export type CompareSide = { kind: 'version'; version: VersionSummary } | { kind: 'now'; at: Date };

/** Something done to the record between the two sides that names who did it (from the audit log). */
export type RecordEditEvent =
	| { action: 'version_create' | 'version_restore'; actor: string | null; at: Date; versionName: string }
	/** A suggestion accepted, rejected or withdrawn: who settled it, whose it was (its author's name as they suggested it). */
	| { action: 'suggestion_settle'; actor: string | null; at: Date; author: string | null; outcome: 'accepted' | 'rejected' | 'withdrawn' | 'unclear' };

export interface VersionComparison {
	from: CompareSide;
	to: CompareSide;
	diff: TextDiff;
	/** Versions kept and restored in between, with who did it and when. */
	events: RecordEditEvent[];
	/** Every version of the record, newest first, for choosing another pair. */
	versions: VersionSummary[];
}

/** `now` or a positive whole number; anything else is not a version of this record (`not_found`). */
export function parseSide(raw: string | null | undefined): number | 'now' {
	if (raw === 'now') return 'now';
	if (raw == null || !/^[1-9][0-9]{0,15}$/.test(raw)) throw new AppError('not_found');
	const id = Number(raw);
	if (!Number.isSafeInteger(id)) throw new AppError('not_found');
	return id;
}

/**
 * Compares two versions of a session's record, or a version with the record now, for anyone who may
 * read the record (parties too: they read it live). The text of "now" is read the way a version is
 * made (the collaboration server flushed first), so comparing a version just kept with now shows
 * nothing. A version of another record is `not_found`, the same as a missing id.
 */
export async function compareVersions(
	db: Db,
	viewer: Viewer,
	input: { sessionId: number; from: string | null; to: string | null },
	options: { collab: CollabServer | null; now?: Date }
): Promise<VersionComparison> {
	const { docName } = await recordAccess(db, viewer, input.sessionId);
	const versions = await listVersions(db, viewer, input.sessionId);
	// Without a choice: the newest version against now (now against itself while none was kept).
	const fromId = parseSide(input.from ?? (versions[0] ? String(versions[0].id) : 'now'));
	const toId = parseSide(input.to ?? 'now');
	const [from, to] = await Promise.all([side(db, docName, fromId, options), side(db, docName, toId, options)]);
	const diff = diffBlocks(from.blocks, to.blocks);
	return { from: from.side, to: to.side, diff, events: await editsBetween(db, docName, from.side, to.side), versions };
}

async function side(db: Db, docName: string, id: number | 'now', options: { collab: CollabServer | null; now?: Date }) {
	if (id === 'now') {
		const doc = await directDocument(db, options.collab, docName).read();
		try {
			return { side: { kind: 'now', at: options.now ?? new Date() } as CompareSide, blocks: recordBlocks(doc) };
		} finally {
			doc.destroy();
		}
	}
	const { state, ...version } = await findVersion(db, docName, id);
	const doc = documentFromState(state);
	try {
		return { side: { kind: 'version', version } as CompareSide, blocks: recordBlocks(doc) };
	} finally {
		doc.destroy();
	}
}

const timeOf = (s: CompareSide) => (s.kind === 'now' ? s.at : s.version.createdAt);

/**
 * The record's log of updates carries no author (Yjs updates name a random client id only), so who
 * changed the text is told by what the audit log does name: the versions kept and restored between
 * the two sides, and the suggestions settled, by whom and when. Each version's own author and time
 * are on its side.
 */
async function editsBetween(db: Db, docName: string, a: CompareSide, b: CompareSide): Promise<RecordEditEvent[]> {
	const [start, end] = [timeOf(a), timeOf(b)].sort((x, y) => x.getTime() - y.getTime());
	const rows = await db
		.select({ action: auditLog.action, at: auditLog.at, data: auditLog.data, actor: users.name })
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(
			and(
				eq(auditLog.subjectType, 'document'),
				eq(auditLog.subjectId, docName),
				inArray(auditLog.action, ['record.version_create', 'record.version_restore', 'suggestion.settle']),
				gte(auditLog.at, start),
				lte(auditLog.at, end)
			)
		)
		.orderBy(asc(auditLog.at), asc(auditLog.id))
		.limit(50);
	// A side's own making is told on that side, not again as an event.
	const own = new Set([a, b].flatMap((s) => (s.kind === 'version' ? [s.version.id] : [])));
	return rows
		.map((r) => ({ ...r, data: r.data as { versionId?: unknown; name?: unknown; suggestionId?: unknown; outcome?: unknown } }))
		.filter((r) => !(r.action === 'record.version_create' && own.has(Number(r.data.versionId))))
		.map((r): RecordEditEvent => {
			if (r.action === 'suggestion.settle') {
				const outcome = r.data.outcome;
				return {
					action: 'suggestion_settle',
					actor: r.actor,
					at: r.at,
					author: suggestionAuthor(r.data.suggestionId)?.name ?? null,
					outcome: outcome === 'accepted' || outcome === 'rejected' || outcome === 'withdrawn' ? outcome : 'unclear'
				};
			}
			return {
				action: r.action === 'record.version_restore' ? 'version_restore' : 'version_create',
				actor: r.actor,
				at: r.at,
				versionName: typeof r.data.name === 'string' ? r.data.name : ''
			};
		});
}
