import * as Y from 'yjs';
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit';
import type { CollabServer } from '../../collab/api';
import { directDocument } from '../../collab/direct-document';
import type { Db } from '../../db';
import { documentVersions } from '../../db/schema';
import { parseInput } from '../../validation';

/** A version's name, e.g. "第一次调解结束": required, at most 100 characters (the column's size). */
export const versionInput = z.object({
	name: z.string({ error: 'err_required' }).trim().min(1, 'err_required').max(100, 'err_too_long')
});

export interface CreateVersionInput {
	/** The collaborative document, e.g. recordDocName(sessionId). */
	docName: string;
	name: string;
	/** Made by the system (e.g. at the end of a session) rather than by someone's choice. */
	automatic: boolean;
	/** Who made it (for an automatic one: whoever ended the session); null for the system itself. */
	actorId: number | null;
}

export interface CreateVersionOptions {
	ip?: string | null;
	/** The running collaboration server (`event.locals.collab`), flushed first so the snapshot is current. */
	collab: CollabServer | null;
}

/**
 * Snapshots the STORED state of a document as a named version. It does not check who asks: callers
 * authorise first (saveVersion for people; the end of a session for automatic versions).
 * Call it with the database, not inside a transaction: it first waits for the collaboration server
 * to store what it holds, which needs the connection a transaction would be holding.
 */
export async function createVersion(db: Db, input: CreateVersionInput, options: CreateVersionOptions): Promise<{ id: number; createdAt: Date }> {
	const { name } = parseInput(versionInput, { name: input.name });
	const doc = await directDocument(db, options.collab, input.docName).read();
	let state: Uint8Array;
	try {
		state = Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(documentVersions)
			.values({ docName: input.docName, name, automatic: input.automatic, state, createdById: input.actorId })
			.returning({ id: documentVersions.id, createdAt: documentVersions.createdAt });
		await recordAudit(tx, {
			action: 'record.version_create',
			actorId: input.actorId,
			subjectType: 'document',
			subjectId: input.docName,
			ip: options.ip ?? null,
			data: { docName: input.docName, versionId: row.id, name, automatic: input.automatic }
		});
		return row;
	});
}
