import { error, type RequestEvent } from '@sveltejs/kit';
import type { Viewer } from '../../types';
import { requireUser } from '../auth/guards';
import { mayHoldMeetings } from './rules';

/** For every load, action and endpoint of the meeting pages: a county or township supervisor, else 403. */
export function requireMeetingHolder(event: RequestEvent): Viewer {
	const viewer = requireUser(event);
	if (!mayHoldMeetings(viewer)) error(403, 'forbidden');
	return viewer;
}
