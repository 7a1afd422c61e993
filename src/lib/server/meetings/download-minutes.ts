import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { getMeeting } from './get-meeting';
import { renderMinutesPdf } from './minutes-pdf';
import { KIND_ZH } from './rules';

export interface DownloadMinutesOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** The minutes as a PDF for a supervisor in scope; each download is audited with the file's hash. */
export async function downloadMinutes(db: Db, actor: Viewer, rawId: unknown, options: DownloadMinutesOptions = {}): Promise<{ bytes: Uint8Array; fileName: string }> {
	const { ip, now = new Date() } = options;
	const { meeting, meetingDay } = await getMeeting(db, actor, rawId, { forms: false, now });
	const bytes = await renderMinutesPdf(meeting, now);
	await db.transaction((tx) =>
		recordAudit(tx, { action: 'meeting.minutes_pdf', actorId: actor.id, subjectType: 'meeting', subjectId: meeting.id, ip, data: { sha256: encodeHexLowerCase(sha256(bytes)) } })
	);
	return { bytes, fileName: `${KIND_ZH[meeting.kind]}纪要-${meetingDay}-${meeting.id}.pdf` };
}
