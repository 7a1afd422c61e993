import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { originColumn } from '../cases/scope';

/**
 * The matters of an administrator's own area, as a condition on `cases`. Admins see no matters by role
 * in the case pages (data minimisation, cases/scope.ts); the privacy tasks — answering a person's
 * request for a copy, and retention from the admin page — are the ones that reach them, and only there.
 */
export function adminArea(viewer: Viewer) {
	return eq(originColumn(viewer.place.kind), viewer.place.id);
}
