import type { RequestEvent } from '@sveltejs/kit';
import { secureCookies } from '../../env';

/**
 * The query code is shown once, on the page the filer lands on after registering. It travels in a
 * short-lived cookie scoped to that case's page (httpOnly, SameSite=Strict, ten minutes), never in a
 * URL (which would end up in history and logs), and the page deletes it when it reads it.
 */
const COOKIE = 'pingli_filed';

const options = (event: RequestEvent, caseId: number) => ({
	path: `/cases/${caseId}`,
	httpOnly: true,
	sameSite: 'strict' as const,
	secure: secureCookies ?? event.url.protocol === 'https:'
});

export function flashQueryCode(event: RequestEvent, caseId: number, queryCode: string): void {
	event.cookies.set(COOKIE, `${caseId}.${queryCode}`, { ...options(event, caseId), maxAge: 600 });
}

/** The code just issued for this case, once; null on every later view. */
export function takeQueryCode(event: RequestEvent, caseId: number): string | null {
	const value = event.cookies.get(COOKIE);
	if (!value) return null;
	event.cookies.delete(COOKIE, options(event, caseId));
	const [id, code] = value.split('.');
	return id === String(caseId) && /^[A-Z2-9]{8}$/.test(code ?? '') ? code : null;
}
