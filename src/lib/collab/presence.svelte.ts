import type { Awareness } from 'y-protocols/awareness';

/** What each participant publishes about themselves in the awareness `user` field (carets use it too). */
// A type rather than an interface, so it is a plain record (the server attests it as one).
export type RecordUser = {
	id: number;
	name: string;
	color: string;
	/** Their part in this case: mediator, panel_member, party or observer (translated by each reader). */
	role: string;
};

export interface PresentUser extends RecordUser {
	clientId: number;
	self: boolean;
}

/** Who has the record open right now, live from the awareness states; oneself first. */
export class Presence {
	users = $state<PresentUser[]>([]);
	private readonly refresh = () => {
		const self = this.awareness.clientID;
		const list: PresentUser[] = [];
		for (const [clientId, state] of this.awareness.getStates()) {
			const user = (state as { user?: Partial<RecordUser> }).user;
			if (!user || typeof user.name !== 'string' || typeof user.id !== 'number') continue;
			list.push({
				clientId,
				self: clientId === self,
				id: user.id,
				name: user.name.slice(0, 60),
				color: typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#5c5c66',
				role: typeof user.role === 'string' ? user.role : ''
			});
		}
		list.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'zh-CN'));
		this.users = list;
	};

	constructor(private readonly awareness: Awareness) {
		awareness.on('change', this.refresh);
		this.refresh();
	}

	destroy(): void {
		this.awareness.off('change', this.refresh);
	}
}
