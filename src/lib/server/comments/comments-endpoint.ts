import { error, json, type RequestEvent } from '@sveltejs/kit';
import { clientAddress } from '../auth/client-address';
import { requireUser } from '../auth/guards';
import { retryMinutes } from '../auth/rate-limit';
import { getDb } from '../db';
import { AppError, HTTP_STATUS } from '../errors';
import { listThreads } from './list-threads';
import { openThread } from './open-thread';
import { replyToThread } from './reply-to-thread';
import { setThreadStatus } from './set-thread-status';

/**
 * The comment endpoints of a document (`GET`: its threads; `POST` a form with `intent`), shared by the
 * record's and the agreement's routes, which only name the document. Each call guards itself (a signed-in
 * person, then the document's own read check inside the use case). A refusal answers 4xx with a message
 * key, the field errors and the values sent, so the comment form shows why and keeps what was typed.
 */
export async function getComments(event: RequestEvent, docName: string): Promise<Response> {
	const viewer = requireUser(event);
	try {
		return json(await listThreads(await getDb(), viewer, docName, { collab: event.locals.collab, ip: clientAddress(event) }), { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
}

const INTENTS = ['open', 'reply', 'resolve', 'reopen'] as const;

export async function postComment(event: RequestEvent, docName: string): Promise<Response> {
	const viewer = requireUser(event);
	const form = await event.request.formData();
	const values = {
		intent: String(form.get('intent') ?? ''),
		threadId: String(form.get('threadId') ?? ''),
		field: String(form.get('field') ?? ''),
		from: String(form.get('from') ?? ''),
		to: String(form.get('to') ?? ''),
		quote: String(form.get('quote') ?? ''),
		body: String(form.get('body') ?? '')
	};
	const mentions = form.getAll('mentions').map(String);
	const intent = INTENTS.find((i) => i === values.intent);
	if (!intent) return json({ message: 'err_form', fields: {}, values }, { status: 400 });
	const ctx = { ip: clientAddress(event) };
	const db = await getDb();
	try {
		if (intent === 'open') return json(await openThread(db, viewer, docName, { ...values, mentions }, ctx));
		if (intent === 'reply') return json(await replyToThread(db, viewer, docName, { threadId: values.threadId, body: values.body, mentions }, ctx));
		return json(await setThreadStatus(db, viewer, docName, intent, { threadId: values.threadId }, ctx));
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		const { _: message, ...fields } = err.fields;
		const minutes = retryMinutes(err);
		return json(
			{ message: message ?? (err.code === 'not_found' ? 'cm_err_not_found' : 'err_form'), fields, values: { ...values, mentions }, ...(minutes ? { minutes } : {}) },
			{ status: HTTP_STATUS[err.code] }
		);
	}
}
