import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { AGREEMENT_FIELDS, appendFieldText, fieldText, responsibilityField, setFieldText } from '../../shared/agreement-schema';
import { countOpenSuggestions } from '../../shared/suggestion-id';
import type { RecordUser } from '../../collab/presence.svelte';
import type { Viewer } from '../../types';
import type { CollabServer } from '../collab/api';
import { directDocument } from '../collab/direct-document';
import { agreementDocName } from '../collab/doc-name';
import type { Db } from '../db';
import { cases, collabDocuments, collabUpdates } from '../db/schema';
import { recordUser } from '../mediation/record-identity';
import { capacityOf } from '../mediation/versions/get-record-session';
import type { AgreementAccess } from './agreement-case';
import type { AgreementView } from './get-agreement';

/** The draft's free text, as the columns of `agreements` and `agreement_parties` hold it. */
export interface DraftTexts {
	facts: string;
	issues: string;
	otherTerms: string;
	/** By case party id. */
	responsibility: Record<number, string>;
}

/**
 * The Yjs client id the seed is written under. Every seed of the same columns is then the very same
 * update, so two pages opening a new document at once add it once, not twice.
 */
const SEED_CLIENT = 1;

function seedUpdate(texts: DraftTexts): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = SEED_CLIENT;
	try {
		doc.transact(() => {
			for (const field of AGREEMENT_FIELDS) appendFieldText(doc, field, texts[field]);
			for (const id of Object.keys(texts.responsibility).map(Number).sort((a, b) => a - b)) {
				appendFieldText(doc, responsibilityField(id), texts.responsibility[id]);
			}
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

async function documentExists(db: Db, docName: string, collab: CollabServer | null): Promise<boolean> {
	if (await directDocument(db, collab, docName).isOpen()) return true;
	const [[state], [update]] = await Promise.all([
		db.select({ name: collabDocuments.name }).from(collabDocuments).where(eq(collabDocuments.name, docName)).limit(1),
		db.select({ id: collabUpdates.id }).from(collabUpdates).where(eq(collabUpdates.docName, docName)).limit(1)
	]);
	return Boolean(state || update);
}

/**
 * Gives a case's agreement document the stored draft text the first time it is opened, so drafts
 * written before live editing (or by the forms) carry over. A document that has any content is
 * left alone.
 */
export async function seedAgreementDocument(db: Db, caseId: number, texts: DraftTexts, collab: CollabServer | null): Promise<void> {
	const docName = agreementDocName(caseId);
	if (await documentExists(db, docName, collab)) return;
	const update = seedUpdate(texts);
	await directDocument(db, collab, docName).edit((doc) => {
		if (doc.store.clients.size === 0) Y.applyUpdate(doc, update);
	});
}

/**
 * The draft text as the editors wrote it: the stored document, with whatever a running collaboration
 * server still holds stored first. Null when the document was never opened (the columns are the text).
 */
export async function readAgreementDocument(
	db: Db,
	caseId: number,
	partyIds: number[],
	collab: CollabServer | null
): Promise<(DraftTexts & { openSuggestions: number }) | null> {
	const doc = await directDocument(db, collab, agreementDocName(caseId)).read();
	try {
		if (doc.store.clients.size === 0) return null;
		const fields = [...AGREEMENT_FIELDS, ...partyIds.map(responsibilityField)];
		return {
			// Suggested words are in the text until accepted or rejected (issue 15 §2): freezing waits for them.
			openSuggestions: countOpenSuggestions(fields.map((f) => doc.getXmlFragment(f))),
			facts: fieldText(doc, 'facts'),
			issues: fieldText(doc, 'issues'),
			otherTerms: fieldText(doc, 'otherTerms'),
			responsibility: Object.fromEntries(partyIds.map((id) => [id, fieldText(doc, responsibilityField(id))]))
		};
	} finally {
		doc.destroy();
	}
}

/**
 * Makes the document read exactly `texts` (what was frozen), undoing any keystroke that reached the
 * server after the text was read for freezing and before the editors lost their write access.
 */
export async function settleAgreementDocument(db: Db, caseId: number, texts: DraftTexts, collab: CollabServer | null): Promise<void> {
	await directDocument(db, collab, agreementDocName(caseId)).edit((doc) => {
		for (const field of AGREEMENT_FIELDS) setFieldText(doc, field, texts[field]);
		for (const [id, text] of Object.entries(texts.responsibility)) setFieldText(doc, responsibilityField(Number(id)), text);
	});
}

/** Sets an agreement document that exists to `texts` (a new one is seeded from the columns when first opened). */
export async function followLiveDocument(db: Db, caseId: number, texts: DraftTexts, collab: CollabServer | null): Promise<void> {
	if (await documentExists(db, agreementDocName(caseId), collab)) await settleAgreementDocument(db, caseId, texts, collab);
}

/** What the agreement page needs to open the live draft text. */
export interface LiveDraft {
	docName: string;
	canWrite: boolean;
	/** How the viewer appears to the others (the server attests the same). */
	me: RecordUser;
}

export interface OpenLiveDraftOptions {
	/** The running collaboration server (`event.locals.collab`), which may hold the document. */
	collab: CollabServer | null;
}

/**
 * The live draft text of an agreement the viewer may already see (`access` from `getAgreement`):
 * null unless it is a draft. The document is seeded from the stored text if it is new.
 */
export async function openLiveDraft(
	db: Db,
	viewer: Viewer,
	agreement: AgreementView | null,
	access: AgreementAccess,
	options: OpenLiveDraftOptions
): Promise<LiveDraft | null> {
	if (!agreement || agreement.status !== 'draft') return null;
	const responsibility = Object.fromEntries(agreement.parties.map((p) => [p.id, p.responsibility]));
	await seedAgreementDocument(db, agreement.caseId, { facts: agreement.facts, issues: agreement.issues, otherTerms: agreement.otherTerms, responsibility }, options.collab);
	const [row] = await db.select({ mediatorId: cases.mediatorId }).from(cases).where(eq(cases.id, agreement.caseId)).limit(1);
	return {
		docName: agreementDocName(agreement.caseId),
		canWrite: access.edit,
		me: recordUser(viewer, await capacityOf(db, viewer, agreement.caseId, row?.mediatorId ?? null))
	};
}
