import type { Handle } from '@sveltejs/kit';
import { LARGE_TEXT_COOKIE, LARGE_TEXT_VALUE } from '../../large-text';

/** Fills `%pingli.text%` in app.html: "large" when the device chose large text, else "normal". */
export const handleLargeText: Handle = ({ event, resolve }) => {
	const size = event.cookies.get(LARGE_TEXT_COOKIE) === LARGE_TEXT_VALUE ? 'large' : 'normal';
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%pingli.text%', size) });
};
