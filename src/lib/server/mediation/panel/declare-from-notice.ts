import { z } from 'zod';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { AppError } from '../../errors';
import { markCaseNoticesRead } from '../../notices/mark-read';
import { parseInput } from '../../validation';
import { declareConflict } from './declare-conflict';

/** The home page's two taps: tick the declaration, submit. A recusal needs a reason: that is the panel page. */
const input = z.object({ caseId: z.coerce.number({ message: 'err_invalid' }).int('err_invalid').positive('err_invalid') });

export interface DeclareFromNoticeOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Declares "no conflict of interest" from the invitation notice, through the panel's own use case (so
 * the same rules, timeline entry and audit row apply), then marks the invitation read.
 */
export async function declareFromNotice(db: Db, viewer: Viewer, raw: Record<string, unknown>, options: DeclareFromNoticeOptions = {}): Promise<{ caseId: number }> {
	const { ip, now = new Date() } = options;
	const { caseId } = parseInput(input, raw);
	// A legal declaration is made on purpose: the box must be ticked (`parseInput` keeps only `err_` keys).
	if (raw.confirm !== 'yes') throw new AppError('invalid', { confirm: 'nt_err_confirm' });
	await declareConflict(db, viewer, caseId, { declaration: 'no_conflict', note: null }, { ip, now });
	await markCaseNoticesRead(db, viewer.id, caseId, 'panel_invited', { now });
	return { caseId };
}

