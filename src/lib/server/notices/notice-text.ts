import type { SmsTemplate } from '../sms/sms-sender';
import type { NoticePayload } from '../db/schema';
import { NOTICE_KINDS } from '../db/schema/notices';
import { env } from '../env';

export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Where a notice leads: the page on which its recipient acts. */
export function noticePath(kind: NoticeKind, caseId: number, payload: NoticePayload = {}): string {
	if (kind === 'panel_invited') return `/cases/${caseId}/panel`;
	if (kind === 'session_scheduled' && payload.sessionId) return `/cases/${caseId}#session-${payload.sessionId}`;
	if (kind === 'terms_due' || kind === 'return_visit_due') return `/cases/${caseId}/outcome`;
	if (kind === 'comment_mention') return `${payload.sessionId ? `/sessions/${payload.sessionId}` : `/cases/${caseId}/agreement`}#comment-${payload.threadId ?? ''}`;
	return `/cases/${caseId}`;
}

const shanghaiTime = new Intl.DateTimeFormat('zh-CN', {
	timeZone: 'Asia/Shanghai',
	month: 'numeric',
	day: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	hour12: false
});

/** A session's time as people in the county read it (Beijing time), e.g. "12/5 09:30". */
export function sessionTime(iso: string | undefined): string {
	return iso ? shanghaiTime.format(new Date(iso)) : '';
}

/**
 * The text of an SMS notice. In Chinese whatever the app's language (the phone has no locale here),
 * and short: one sentence and the link, so it stays within one or two 70-character segments.
 */
export function smsText(kind: NoticeKind, payload: NoticePayload, path: string, origin = env.ORIGIN ?? ''): { body: string; template: SmsTemplate } {
	const no = payload.caseNumber ?? '';
	const words: Record<NoticeKind, string> = {
		panel_invited: `您受邀参加${no}号案件的评理，请申明有无利害关系`,
		session_scheduled: `${no}号案件调解会定于${sessionTime(payload.at)}`,
		session_cancelled: `${no}号案件第${payload.seq ?? ''}次调解会已取消`,
		agreement_ready: `${no}号案件调解协议已定稿，请阅读`,
		signing_requested: `请签署${no}号案件调解协议`,
		terms_due: `${no}号案件协议履行期限将到`,
		return_visit_due: `${no}号案件需要回访`,
		comment_mention: `您在${no}号案件的批注中被提及`
	};
	const link = `${origin.replace(/\/$/, '')}${path}`;
	return { body: `【评理】${words[kind]}：${link}`, template: { name: 'notice', params: { what: words[kind], link } } };
}
