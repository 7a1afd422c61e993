import type { Viewer } from '$lib/types';
import type { SessionInfo } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: Viewer | null;
			session: SessionInfo | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
