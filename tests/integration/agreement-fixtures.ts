import { desc, eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { createDraft } from '../../src/lib/server/agreements/create-draft';
import { createInvitation } from '../../src/lib/server/agreements/create-invitation';
import { demoSealPng } from '../../src/lib/server/documents/seal-image';
import { saveTerm } from '../../src/lib/server/agreements/save-term';
import { sendSigningCode } from '../../src/lib/server/agreements/send-signing-code';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { uploadSeal } from '../../src/lib/server/agreements/upload-seal';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { smsOutbox } from '../../src/lib/server/db/schema';
import type { PanelWorld } from './panel-fixtures';

/** A PNG data URL: `ink` draws a thick diagonal stroke; `noise` fills it with random colours (large file). */
export function pngDataUrl(opts: { width?: number; height?: number; ink?: boolean; noise?: boolean } = {}): string {
	const { width = 300, height = 120, ink = true, noise = false } = opts;
	const png = new PNG({ width, height });
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 4;
			const onStroke = ink && Math.abs(y - (x * height) / width) < 4;
			if (noise) {
				png.data[i] = Math.random() * 256;
				png.data[i + 1] = Math.random() * 256;
				png.data[i + 2] = Math.random() * 256;
				png.data[i + 3] = 255;
			} else {
				png.data[i + 3] = onStroke ? 255 : 0;
			}
		}
	}
	return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** A draft with content and one term (due 22 days after `now`), for the case of `w`, and the 城南村 committee's seal. */
export async function draftAgreement(w: PanelWorld, now: Date, withSeal = true): Promise<void> {
	if (withSeal) await uploadSeal(w.t.db, w.viewers.admin, { placeId: w.placeIds['城南村'], bytes: demoSealPng() }, { now });
	await createDraft(w.t.db, w.viewers.mediator, { caseId: w.caseId }, { now });
	await updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { facts: '李某砌墙越界。', issues: '围墙位置。', otherTerms: '互不追究。' }, { now });
	await saveTerm(w.t.db, w.viewers.mediator, w.caseId, { obligorPartyId: String(w.partyIds.respondent), what: '拆除越界围墙', amount: '', how: '', dueOn: addDays(shanghaiDate(now), 22) }, { now });
}

/** Invites a party and returns the link's token (the last path segment, as the party would open it). */
export async function invite(w: PanelWorld, partyId: number, now: Date): Promise<string> {
	const { link } = await createInvitation(w.t.db, w.viewers.mediator, { caseId: w.caseId, partyId }, { origin: 'https://pingli.test', now });
	return link.split('/').pop()!;
}

/** Sends a code through the development sender and reads it back from the outbox, as the party would from SMS. */
export async function codeFor(w: PanelWorld, token: string, ip: string, now: Date): Promise<string> {
	await sendSigningCode(w.t.db, token, ip, { now });
	const [msg] = await w.t.db.select({ body: smsOutbox.body }).from(smsOutbox).where(eq(smsOutbox.caseId, w.caseId)).orderBy(desc(smsOutbox.id)).limit(1);
	return /验证码是 (\d{6})/.exec(msg.body)![1];
}
