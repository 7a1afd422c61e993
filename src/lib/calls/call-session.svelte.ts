import { CALL_CLOSE, type CallPeerInfo, type ClientMessage, type IceServerInfo, type ServerMessage } from './protocol';
import { linkTooWeakForVideo, quality, sampleOf, type Quality, type StatsSample } from './quality';
import { tuneOpus } from './sdp';

/**
 * One person's side of a call: the signalling socket, the microphone and camera, and a full mesh of
 * RTCPeerConnections, one per other person. Negotiation follows the "perfect negotiation" pattern
 * (W3C WebRTC §10.7 example): either side may renegotiate when a camera goes on, and an offer
 * collision is settled by the polite side (the one with the larger peer id) rolling back.
 */

/** Video per sender: small enough for a village 4G uplink carrying five copies of it. */
export const VIDEO_CAPS = { maxBitrate: 300_000, maxFramerate: 15, width: 640, height: 360 } as const;
/** How often each connection's statistics are read for quality, speaking and the audio fallback. */
const STATS_MS = 1500;
/** Consecutive weak samples (about 7.5 s) before our video stops, so a bad moment does not end it. */
const WEAK_SAMPLES = 5;
const SPEAKING_LEVEL = 0.04;
/** The bandwidth estimate starts near 300 kbps and ramps up over the first seconds of video. */
const VIDEO_WARMUP_MS = 8000;

export type CallStatus = 'idle' | 'joining' | 'in_call' | 'closed';
export type CallNotice = 'degraded' | 'video_full' | 'no_camera' | null;
export type CallEnd = 'forbidden' | 'replaced' | 'full' | 'no_microphone' | 'link' | 'other' | null;

export class RemotePeer {
	info = $state.raw<CallPeerInfo>({ id: '', name: '', role: '', audio: false, video: false });
	stream = $state.raw<MediaStream | null>(null);
	quality = $state<Quality>('connecting');
	speaking = $state(false);
	readonly pc: RTCPeerConnection;
	readonly polite: boolean;
	makingOffer = false;
	ignoreOffer = false;
	last: StatsSample | null = null;
	/** Whether our tracks have been added to this connection (see CallSession.addPeer). */
	sending = false;
	/** When the connection first came up (0 before): its bandwidth estimate ramps up from there. */
	connectedAt = 0;

	constructor(info: CallPeerInfo, me: string, config: RTCConfiguration) {
		this.info = info;
		this.pc = new RTCPeerConnection(config);
		this.polite = me > info.id;
	}
}

export interface CallOptions {
	/** ws(s)://host/call/<room> */
	url: string;
}

export class CallSession {
	status = $state<CallStatus>('idle');
	ended = $state<CallEnd>(null);
	notice = $state<CallNotice>(null);
	relayed = $state(true);
	peers = $state.raw<RemotePeer[]>([]);
	muted = $state(false);
	camera = $state(false);
	speaking = $state(false);
	localVideo = $state.raw<MediaStream | null>(null);

	private ws: WebSocket | null = null;
	private me = '';
	private config: RTCConfiguration = {};
	private audioTrack: MediaStreamTrack | null = null;
	/** What this person sends, as one stream: the microphone, and the camera when on. */
	private outStream: MediaStream | null = null;
	private videoTrack: MediaStreamTrack | null = null;
	private readonly byId = new Map<string, RemotePeer>();
	private statsTimer: ReturnType<typeof setInterval> | null = null;
	private weak = 0;
	private cameraSince = 0;

	constructor(private readonly options: CallOptions) {}

	/** Asks for the microphone (audio first), then joins the room. */
	async join(): Promise<void> {
		if (this.status === 'joining' || this.status === 'in_call') return;
		this.status = 'joining';
		this.ended = null;
		this.notice = null;
		try {
			const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
			this.audioTrack = stream.getAudioTracks()[0];
			this.outStream = new MediaStream([this.audioTrack]);
		} catch {
			return this.finish('no_microphone');
		}
		const ws = new WebSocket(this.options.url);
		this.ws = ws;
		ws.onmessage = (e) => void this.onMessage(JSON.parse(String(e.data)) as ServerMessage).catch((err) => console.error('call signal failed', err));
		ws.onclose = (e) => {
			if (this.ws !== ws) return;
			this.finish(
				e.code === CALL_CLOSE.forbidden
					? 'forbidden'
					: e.code === CALL_CLOSE.replaced
						? 'replaced'
						: e.code === CALL_CLOSE.roomFull
							? 'full'
							: this.status === 'joining'
								? 'link'
								: 'other'
			);
		};
	}

	leave(): void {
		this.finish(null);
	}

	toggleMute(): void {
		this.muted = !this.muted;
		if (this.audioTrack) this.audioTrack.enabled = !this.muted;
		this.sendState();
	}

	/** Video on request: the camera starts only when the person asks, at the caps above. */
	async toggleCamera(): Promise<void> {
		if (this.camera) return this.stopVideo();
		this.notice = null;
		if (!this.videoTrack) {
			try {
				const stream = await navigator.mediaDevices.getUserMedia({
					video: { width: { ideal: VIDEO_CAPS.width }, height: { ideal: VIDEO_CAPS.height }, frameRate: { ideal: VIDEO_CAPS.maxFramerate, max: VIDEO_CAPS.maxFramerate } }
				});
				this.videoTrack = stream.getVideoTracks()[0];
				this.videoTrack.contentHint = 'motion';
			} catch {
				this.notice = 'no_camera';
				return;
			}
		}
		this.camera = true;
		this.cameraSince = Date.now();
		this.weak = 0;
		this.localVideo = new MediaStream([this.videoTrack]);
		for (const peer of this.byId.values()) await this.sendVideo(peer);
		this.sendState();
	}

	private stopVideo(): void {
		this.camera = false;
		for (const peer of this.byId.values()) {
			for (const sender of peer.pc.getSenders()) if (sender.track?.kind === 'video') void sender.replaceTrack(null);
		}
		this.videoTrack?.stop();
		this.videoTrack = null;
		this.localVideo = null;
		this.sendState();
	}

	private send(msg: ClientMessage): void {
		if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
	}

	private sendState(): void {
		this.send({ t: 'state', audio: !this.muted, video: this.camera });
	}

	private async onMessage(msg: ServerMessage): Promise<void> {
		switch (msg.t) {
			case 'welcome':
				this.me = msg.you;
				this.relayed = msg.relayed;
				this.config = { iceServers: msg.iceServers as RTCIceServer[] };
				this.status = 'in_call';
				this.sendState();
				for (const info of msg.peers) this.addPeer(info, true);
				this.statsTimer = setInterval(() => void this.readStats(), STATS_MS);
				return;
			case 'joined':
				this.addPeer(msg.peer, false);
				return;
			case 'left':
				this.dropPeer(msg.id);
				return;
			case 'state': {
				const peer = this.byId.get(msg.id);
				if (peer) peer.info = { ...peer.info, audio: msg.audio, video: msg.video };
				return;
			}
			case 'video_full':
				this.notice = 'video_full';
				this.stopVideo();
				return;
			case 'sdp':
				return this.onDescription(msg.from, msg.sdp);
			case 'ice': {
				const peer = this.byId.get(msg.from);
				if (!peer) return;
				try {
					await peer.pc.addIceCandidate(msg.candidate);
				} catch (err) {
					if (!peer.ignoreOffer) throw err;
				}
			}
		}
	}

	/**
	 * A connection to another person. Only the newcomer offers first (`first`): those already in the
	 * call add their microphone and camera once the newcomer's offer has arrived, and answer with them.
	 * When both sides offered at once, the polite side's rollback of its very first offer left Chromium's
	 * connection negotiated but never gathering candidates ("new" for good); later renegotiations (a
	 * camera turned on) still meet each other now and then, and are settled as above.
	 */
	private addPeer(info: CallPeerInfo, first: boolean): void {
		if (this.byId.has(info.id)) return;
		const peer = new RemotePeer(info, this.me, this.config);
		const pc = peer.pc;
		this.byId.set(info.id, peer);
		this.peers = [...this.byId.values()];
		pc.onicecandidate = ({ candidate }) => {
			if (candidate) this.send({ t: 'ice', to: info.id, candidate: candidate.toJSON() as Extract<ClientMessage, { t: 'ice' }>['candidate'] });
		};
		pc.ontrack = ({ track, streams }) => {
			const stream = streams[0] ?? new MediaStream([track]);
			peer.stream = stream;
			track.onunmute = () => (peer.stream = new MediaStream(stream.getTracks()));
		};
		// The W3C pattern as written: `setLocalDescription()` without a description creates and sets the
		// offer in one step, so no remote offer can slip in between (with createOffer first, an offer
		// that met a changed state was dropped and the pair could stay unnegotiated for good).
		pc.onnegotiationneeded = async () => {
			try {
				peer.makingOffer = true;
				await pc.setLocalDescription();
				const local = pc.localDescription;
				if (local?.type === 'offer') this.send({ t: 'sdp', to: info.id, sdp: { type: 'offer', sdp: local.sdp } });
			} catch (err) {
				console.error('call offer failed', err);
			} finally {
				peer.makingOffer = false;
			}
		};
		pc.onconnectionstatechange = () => {
			if (pc.connectionState === 'connected' && peer.connectedAt === 0) peer.connectedAt = Date.now();
		};
		pc.oniceconnectionstatechange = () => {
			if (pc.iceConnectionState === 'failed') pc.restartIce();
		};
		if (first) this.addTracks(peer);
	}

	/** Our microphone, and the camera when it is on, to one connection (once). */
	private addTracks(peer: RemotePeer): void {
		if (peer.sending) return;
		peer.sending = true;
		if (this.audioTrack && this.outStream) peer.pc.addTrack(this.audioTrack, this.outStream);
		if (this.camera && this.videoTrack) void this.sendVideo(peer);
	}

	private async sendVideo(peer: RemotePeer): Promise<void> {
		// Before the newcomer's offer the camera waits: it is added with the answer.
		if (!this.videoTrack || !peer.sending) return;
		const existing = peer.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && t.sender.track === null && t.currentDirection !== 'stopped' && t.direction !== 'recvonly' && t.mid !== null);
		// The same stream as the voice, so the other side gets one stream with both tracks.
		const sender = existing ? existing.sender : peer.pc.addTrack(this.videoTrack, this.outStream ?? new MediaStream());
		if (existing) await existing.sender.replaceTrack(this.videoTrack);
		await capVideo(sender);
	}

	private async onDescription(from: string, description: { type: 'offer' | 'answer'; sdp: string }): Promise<void> {
		const peer = this.byId.get(from);
		if (!peer) return;
		const pc = peer.pc;
		const collision = description.type === 'offer' && (peer.makingOffer || pc.signalingState !== 'stable');
		peer.ignoreOffer = !peer.polite && collision;
		if (peer.ignoreOffer) return;
		await pc.setRemoteDescription({ type: description.type, sdp: tuneOpus(description.sdp) });
		if (description.type === 'offer') {
			// The newcomer's first offer: our tracks take the transceivers it offered, so the answer carries them.
			this.addTracks(peer);
			await pc.setLocalDescription();
			const local = pc.localDescription;
			if (local) this.send({ t: 'sdp', to: from, sdp: { type: local.type as 'offer' | 'answer', sdp: local.sdp } });
		}
	}

	private dropPeer(id: string): void {
		const peer = this.byId.get(id);
		if (!peer) return;
		peer.pc.close();
		this.byId.delete(id);
		this.peers = [...this.byId.values()];
	}

	/** Quality and speaking per peer, our own speaking, and the fall back to sound when the link weakens. */
	private async readStats(): Promise<void> {
		let weakNow = false;
		let loudest = 0;
		for (const peer of this.byId.values()) {
			const report = await peer.pc.getStats();
			const sample = sampleOf(report);
			const q = quality(peer.last, sample);
			peer.last = sample;
			peer.quality = q;
			peer.speaking = peer.info.audio && sample.audioLevel > SPEAKING_LEVEL;
			// Judged only once the camera and this connection have been up a while: the estimate starts
			// low and ramps up on every new connection.
			const warm = Date.now() - Math.max(this.cameraSince, peer.connectedAt) > VIDEO_WARMUP_MS;
			if (this.camera && peer.connectedAt > 0 && warm && linkTooWeakForVideo(sample, q)) weakNow = true;
			report.forEach((s: Record<string, unknown>) => {
				if (s.type === 'media-source' && s.kind === 'audio') loudest = Math.max(loudest, Number(s.audioLevel ?? 0));
			});
		}
		this.speaking = !this.muted && loudest > SPEAKING_LEVEL;
		if (this.camera) for (const peer of this.byId.values()) for (const sender of peer.pc.getSenders()) if (sender.track?.kind === 'video') await capVideo(sender);
		this.weak = weakNow ? this.weak + 1 : 0;
		if (this.camera && this.weak >= WEAK_SAMPLES) {
			this.stopVideo();
			this.notice = 'degraded';
		}
	}

	private finish(reason: CallEnd): void {
		if (this.statsTimer) clearInterval(this.statsTimer);
		this.statsTimer = null;
		const ws = this.ws;
		this.ws = null;
		ws?.close(1000);
		for (const id of [...this.byId.keys()]) this.dropPeer(id);
		this.audioTrack?.stop();
		this.videoTrack?.stop();
		this.audioTrack = this.videoTrack = null;
		this.outStream = null;
		this.localVideo = null;
		this.camera = false;
		this.muted = false;
		this.speaking = false;
		this.ended = reason;
		this.status = reason === null ? 'idle' : 'closed';
	}
}

/**
 * The per-sender video caps, set again until they hold: before the first negotiation a sender may
 * have no encodings yet and refuse them.
 */
async function capVideo(sender: RTCRtpSender): Promise<void> {
	const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
	const enc = params.encodings?.[0];
	if (!enc) return;
	if (enc.maxBitrate === VIDEO_CAPS.maxBitrate && enc.maxFramerate === VIDEO_CAPS.maxFramerate) return;
	enc.maxBitrate = VIDEO_CAPS.maxBitrate;
	enc.maxFramerate = VIDEO_CAPS.maxFramerate;
	// Keep the frame rate and lower the resolution when the link tightens: faces stay fluid.
	params.degradationPreference = 'maintain-framerate';
	await sender.setParameters(params).catch(() => {
		// Refused before negotiation: tried again on the next statistics read.
	});
}
