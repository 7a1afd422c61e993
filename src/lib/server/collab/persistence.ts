import { createHash } from 'node:crypto';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';
import { collabDocuments, collabUpdates } from '../db/schema';
import type { Tx } from '../db';
import { recordAudit } from '../audit/record-audit';
import type { Settlement } from './suggestion-book';

/** What a document is stored as: its compacted state plus the updates appended since. */
export interface StoredDocument {
	state: Uint8Array | null;
	updates: Uint8Array[];
}

/** The storage hooks of the collaboration server, so tests and other stores can stand in. */
export interface CollabStore {
	load(docName: string): Promise<StoredDocument>;
	/**
	 * Appends updates in one transaction (a group commit); resolves once they are durable. The
	 * suggestions they settled are audited in that same transaction.
	 */
	append(docName: string, updates: Uint8Array[], settled?: Settlement[]): Promise<void>;
	/** Folds the log into the state row when it holds more than `keepRows` rows; returns rows folded. */
	compact(docName: string, keepRows?: number): Promise<number>;
	/** Raw rows currently in the log for a document (drives compaction). */
	countRows(docName: string): Promise<number>;
}

export const MAX_RAW_ROWS = 500;

export function postgresStore(db: Db): CollabStore {
	return {
		async load(docName) {
			// Every row still in the log, not only those after `folded_through`: an append that committed
			// after a compaction read the log may have a smaller id (ids are taken at insert, not at commit).
			// The log is read before the state: a compaction (another instance's) committing in between
			// folds rows already read into the state read after, whereas state-then-log would miss them.
			const rows = await db
				.select({ data: collabUpdates.data })
				.from(collabUpdates)
				.where(eq(collabUpdates.docName, docName))
				.orderBy(asc(collabUpdates.id));
			const [doc] = await db.select({ state: collabDocuments.state }).from(collabDocuments).where(eq(collabDocuments.name, docName));
			return { state: doc?.state ?? null, updates: rows.map((r) => r.data) };
		},

		async append(docName, updates, settled = []) {
			if (updates.length === 0) return;
			const rows = updates.map((data) => ({ docName, data }));
			if (settled.length === 0) {
				await db.insert(collabUpdates).values(rows);
				return;
			}
			await db.transaction(async (tx) => {
				await tx.insert(collabUpdates).values(rows);
				for (const s of settled) await recordSettlement(tx, docName, s);
			});
		},

		async countRows(docName) {
			const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(collabUpdates).where(eq(collabUpdates.docName, docName));
			return row.n;
		},

		async compact(docName, keepRows = 0) {
			// One snapshot for the whole fold: the rows deleted are exactly the rows read, never an append
			// that commits meanwhile (another instance's, or this one's next group commit).
			return db.transaction(async (tx) => {
				// One compactor per document at a time, across instances: the others skip, they do not wait.
				const [{ locked }] = await executeRows<{ locked: boolean }>(
					tx,
					sql`select pg_try_advisory_xact_lock(hashtext('pingli.collab'), hashtext(${docName})) as locked`
				);
				if (!locked) return 0;
				const [doc] = await tx.select({ state: collabDocuments.state }).from(collabDocuments).where(eq(collabDocuments.name, docName));
				const rows = await tx
					.select({ id: collabUpdates.id, data: collabUpdates.data })
					.from(collabUpdates)
					.where(eq(collabUpdates.docName, docName))
					.orderBy(asc(collabUpdates.id));
				if (rows.length <= keepRows) return 0;
				// Apply into a Y.Doc and re-encode: unlike Y.mergeUpdates over a long log, this
				// garbage-collects deleted content and stays linear in the log's length.
				const ydoc = new Y.Doc();
				try {
					if (doc?.state) Y.applyUpdate(ydoc, doc.state);
					for (const r of rows) Y.applyUpdate(ydoc, r.data);
					const state = Y.encodeStateAsUpdate(ydoc);
					const through = rows[rows.length - 1].id;
					await tx
						.insert(collabDocuments)
						.values({ name: docName, state, foldedThrough: through })
						.onConflictDoUpdate({ target: collabDocuments.name, set: { state, foldedThrough: through, updatedAt: sql`now()` } });
					await tx.delete(collabUpdates).where(and(eq(collabUpdates.docName, docName), lte(collabUpdates.id, through)));
					return rows.length;
				} finally {
					ydoc.destroy();
				}
			}, { isolationLevel: 'repeatable read' });
		}
	};
}

/**
 * A settled suggestion in the audit chain: who settled whose suggestion, which way, and a hash of the
 * words (the words themselves are in the record and its versions; the chain keeps no free text).
 */
async function recordSettlement(tx: Tx, docName: string, s: Settlement): Promise<void> {
	await recordAudit(tx, {
		action: 'suggestion.settle',
		actorId: s.actorId,
		subjectType: 'document',
		subjectId: docName,
		data: {
			docName,
			suggestionId: s.suggestionId.slice(0, 200),
			authorId: s.authorId,
			kinds: s.kinds,
			outcome: s.outcome,
			textSha256: createHash('sha256').update(s.text, 'utf8').digest('hex'),
			chars: [...s.text].length
		}
	});
}
