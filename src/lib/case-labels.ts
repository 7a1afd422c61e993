import { m } from '$lib/paraglide/messages';
import type { DueState } from '$lib/server/cases/clocks';
import type { Channel } from '$lib/server/cases/intake/rules';
import type { CaseStatus } from '$lib/server/cases/states';

/** Labels of a case's status, channel and due state, Chinese first (messages/caselist). Types only from the server. */
export const caseStatusLabel = (status: CaseStatus): string =>
	({
		registered: m.caselist_status_registered,
		not_accepted: m.caselist_status_not_accepted,
		accepted: m.caselist_status_accepted,
		assigned: m.caselist_status_assigned,
		in_mediation: m.caselist_status_in_mediation,
		concluded: m.caselist_status_concluded,
		follow_up: m.caselist_status_follow_up,
		archived: m.caselist_status_archived
	})[status]();

export const channelLabel = (channel: Channel): string =>
	({
		leader_mailbox: m.caselist_channel_leader_mailbox,
		online: m.caselist_channel_online,
		phone: m.caselist_channel_phone,
		sms: m.caselist_channel_sms,
		wechat: m.caselist_channel_wechat,
		video: m.caselist_channel_video,
		walk_in: m.caselist_channel_walk_in,
		grid_report: m.caselist_channel_grid_report,
		agent: m.caselist_channel_agent
	})[channel]();

export const dueStateLabel = (state: DueState): string =>
	({ overdue: m.caselist_due_overdue, due_soon: m.caselist_due_due_soon, ok: m.caselist_due_ok })[state]();
