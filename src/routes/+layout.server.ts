import { LARGE_TEXT_COOKIE, LARGE_TEXT_VALUE } from '$lib/large-text';
import type { LayoutServerLoad } from './$types';

// Only the device's text size (for the "大字" switch's state in the server-rendered page); no guard needed.
export const load: LayoutServerLoad = ({ cookies }) => ({ largeText: cookies.get(LARGE_TEXT_COOKIE) === LARGE_TEXT_VALUE });
