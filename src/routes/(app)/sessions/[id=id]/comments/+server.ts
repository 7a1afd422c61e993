import { getComments, postComment } from '$lib/server/comments/comments-endpoint';
import { recordDocName } from '$lib/server/mediation/document-access';
import type { RequestHandler } from './$types';

/** The comment threads of a session's record (who may read the record may comment). */
export const GET: RequestHandler = (event) => getComments(event, recordDocName(Number(event.params.id)));
export const POST: RequestHandler = (event) => postComment(event, recordDocName(Number(event.params.id)));
