import { getComments, postComment } from '$lib/server/comments/comments-endpoint';
import { agreementDocName } from '$lib/server/mediation/document-access';
import type { RequestHandler } from './$types';

/** The comment threads of a case's agreement text (who may read the agreement may comment). */
export const GET: RequestHandler = (event) => getComments(event, agreementDocName(Number(event.params.id)));
export const POST: RequestHandler = (event) => postComment(event, agreementDocName(Number(event.params.id)));
