import { z } from 'zod';
import type { ClientMessage } from '../../calls/protocol';
import type { BucketLimits } from '../collab/budget';

/**
 * What each client message may weigh and how often it may come, per socket. An offer or answer of
 * an audio+video mesh is 3–8 KB of SDP and a renegotiation happens when a camera goes on or off;
 * trickled candidates come in a burst of a few dozen per peer at the start; a state change is a
 * button press. The buckets count messages (`capacity` at once, `perSecond` back), the sizes are
 * hard caps: twelve honest peers stay far below both, a flood closes its own socket with 4429.
 */
export const MESSAGE_BUDGETS: Record<ClientMessage['t'], BucketLimits & { maxBytes: number }> = {
	sdp: { maxBytes: 24 * 1024, capacity: 40, perSecond: 2 },
	ice: { maxBytes: 2 * 1024, capacity: 400, perSecond: 40 },
	state: { maxBytes: 256, capacity: 20, perSecond: 2 }
};

/** The largest frame any message may be (the ws `maxPayload`). */
export const MAX_FRAME_BYTES = Math.max(...Object.values(MESSAGE_BUDGETS).map((b) => b.maxBytes));

const peerId = z.string().regex(/^p[a-z0-9]{1,20}$/);

const schemas = {
	sdp: z.object({ t: z.literal('sdp'), to: peerId, sdp: z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().max(20_000) }) }),
	ice: z.object({
		t: z.literal('ice'),
		to: peerId,
		candidate: z.object({
			candidate: z.string().max(1024),
			sdpMid: z.string().max(64).nullable(),
			sdpMLineIndex: z.number().int().min(0).max(64).nullable(),
			usernameFragment: z.string().max(256).nullable().optional()
		})
	}),
	state: z.object({ t: z.literal('state'), audio: z.boolean(), video: z.boolean() })
};

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false; why: 'malformed' | 'too_big'; type?: ClientMessage['t'] };

/**
 * Parses a frame into a known message, rebuilt from its checked fields only (zod drops the rest, so
 * nothing unknown is relayed to the other peers). A type's size cap is checked before parsing.
 */
export function parseClientMessage(frame: string): ParsedMessage {
	let raw: unknown;
	try {
		raw = JSON.parse(frame);
	} catch {
		return { ok: false, why: 'malformed' };
	}
	const type = (raw as { t?: unknown } | null)?.t;
	if (typeof type !== 'string' || !(type in schemas)) return { ok: false, why: 'malformed' };
	const t = type as ClientMessage['t'];
	if (Buffer.byteLength(frame) > MESSAGE_BUDGETS[t].maxBytes) return { ok: false, why: 'too_big', type: t };
	const parsed = schemas[t].safeParse(raw);
	return parsed.success ? { ok: true, message: parsed.data as ClientMessage } : { ok: false, why: 'malformed', type: t };
}
