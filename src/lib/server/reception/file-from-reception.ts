import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { recordAudit } from '../audit/record-audit';
import { fileCase, type FiledCase } from '../cases/intake/file-case';
import type { Db } from '../db';
import { receptionRequests } from '../db/schema';
import { AppError } from '../errors';
import { receptionIdOf, requestInScope } from './scope';

export interface FileFromReceptionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * From the call, the staff member files the matter with channel 视频接访 (`video`) through the ordinary
 * intake use case (its roles, place scope, statutory clocks, timeline and `case.file` audit row), with
 * the petitioner as applicant; the request is linked to the case and closed in the same transaction,
 * with its own audit row. After the commit the petitioner is texted the case number and query code,
 * the two things public tracking asks for (only the code's hash is kept, so this text is its one copy).
 */
export async function fileFromReception(
	db: Db,
	actor: Viewer,
	raw: { id: unknown; categoryId?: unknown; placeId?: unknown; title?: unknown; description?: unknown },
	origin: string, options: FileFromReceptionOptions = {}
): Promise<FiledCase & { texted: boolean }> {
	const { ip, now = new Date(), sender = smsSender() } = options;
	const id = receptionIdOf(raw.id);
	const request = await requestInScope(db, actor, id);
	if (request.status !== 'scheduled') throw new AppError('conflict', { _: request.status === 'requested' ? 'rc_err_not_scheduled' : 'rc_err_closed' });
	const filed = await db.transaction(async (tx) => {
		const row = await requestInScope(tx, actor, id, true);
		if (row.status !== 'scheduled') throw new AppError('conflict', { _: 'rc_err_closed' });
		// fileCase opens its own transaction; inside this one it is a savepoint, so the case and the
		// closed request commit together or not at all.
		const filed = await fileCase(
			tx as unknown as Db,
			actor,
			{
				channel: 'video',
				categoryId: raw.categoryId,
				placeId: raw.placeId,
				title: raw.title,
				description: raw.description,
				parties: [{ side: 'applicant', kind: 'person', name: row.name, phone: row.phone }]
			}, { ip, now }
		);
		await tx
			.update(receptionRequests)
			.set({ status: 'filed', caseId: filed.id, closedById: actor.id, closedAt: now, grantHash: null, grantExpiresAt: null })
			.where(and(eq(receptionRequests.id, id), eq(receptionRequests.status, 'scheduled')));
		await recordAudit(tx, { action: 'reception.file', actorId: actor.id, subjectType: 'reception', subjectId: id, ip, data: { caseId: filed.id, number: filed.number } });
		return filed;
	});
	let texted = false;
	if (!sender.unavailable) {
		try {
			const link = `${origin}/track`;
			const what = `您的视频接访事项已登记，编号 ${filed.number}，查询码 ${filed.queryCode}`;
			await sender.send(db, { phone: request.phone, caseId: filed.id, body: `【评理】${what}，可在 ${link} 查询办理进度。`, template: { name: 'notice', params: { what, link } } }, now);
			texted = true;
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
		}
	}
	return { ...filed, texted };
}
