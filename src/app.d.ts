import type { Viewer } from '$lib/types';
import type { SessionInfo } from '$lib/server/auth/session';
import type { CollabServer } from '$lib/server/collab/api';

declare global {
	namespace App {
		interface Locals {
			user: Viewer | null;
			session: SessionInfo | null;
			/** The process's collaboration server, for use cases that read or edit live documents; null when none runs. */
			collab: CollabServer | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
