import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { hashToken, randomToken } from '../agreements/tokens';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { receptionCodes, receptionRequests } from '../db/schema';
import { AppError } from '../errors';
import { LINK_GRACE_MS, maySchedule, parseShanghaiDateTime, scheduleRefusal } from './rules';
import { receptionIdOf, requestInScope } from './scope';

const fmt = (at: Date) =>
	new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);

export interface ScheduleReceptionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * Staff in scope agree a time for the call and the petitioner is texted a personal link, valid until
 * two hours after that time. Scheduling again replaces the link (the old one stops working) and
 * withdraws any code and grant. The link is stored hashed; the SMS goes after the commit, so a
 * rolled-back change texts nobody. Returns the link so the desk can read it out if the text fails.
 */
export async function scheduleReception(
	db: Db,
	actor: Viewer,
	raw: { id: unknown; at: unknown },
	origin: string, options: ScheduleReceptionOptions = {}
): Promise<{ link: string; texted: boolean }> {
	const { ip, now = new Date(), sender = smsSender() } = options;
	const id = receptionIdOf(raw.id);
	await requestInScope(db, actor, id);
	const at = parseShanghaiDateTime(raw.at);
	const refusal = scheduleRefusal(at, now);
	if (refusal || !at) throw new AppError('invalid', { at: refusal ?? 'rc_err_time' });
	const token = randomToken();
	const link = `${origin}/reception/${token}`;
	const linkExpiresAt = new Date(at.getTime() + LINK_GRACE_MS);
	const request = await db.transaction(async (tx) => {
		const row = await requestInScope(tx, actor, id, true);
		if (!maySchedule(row.status)) throw new AppError('conflict', { _: 'rc_err_closed' });
		await tx
			.update(receptionRequests)
			.set({ status: 'scheduled', scheduledAt: at, scheduledById: actor.id, linkTokenHash: hashToken(token), linkExpiresAt, grantHash: null, grantExpiresAt: null })
			.where(eq(receptionRequests.id, id));
		await tx.delete(receptionCodes).where(eq(receptionCodes.requestId, id));
		await recordAudit(tx, {
			action: 'reception.schedule',
			actorId: actor.id,
			subjectType: 'reception',
			subjectId: id,
			ip,
			data: { scheduledAt: at.toISOString(), linkExpiresAt: linkExpiresAt.toISOString(), rescheduled: row.status === 'scheduled' }
		});
		return row;
	});
	let texted = false;
	if (!sender.unavailable) {
		try {
			const what = `视频接访定于${fmt(at)}，打开链接后凭短信验证码进入等候`;
			await sender.send(db, { phone: request.phone, caseId: null, body: `【评理】${what}：${link}`, template: { name: 'notice', params: { what, link } } }, now);
			texted = true;
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
		}
	}
	return { link, texted };
}
