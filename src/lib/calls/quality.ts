/**
 * A peer connection's quality from two `getStats()` samples, pure so it is tested without a browser.
 * Round-trip time from the nominated candidate pair; loss from the inbound audio stream (what the
 * person hears), over the interval between samples.
 */
export type Quality = 'connecting' | 'good' | 'fair' | 'poor';

export interface StatsSample {
	/** Seconds, or null before a pair is nominated. */
	rtt: number | null;
	audioReceived: number;
	audioLost: number;
	/** 0–1, the loudest the remote voice was in the last sample (RTCInboundRtpStreamStats.audioLevel). */
	audioLevel: number;
	/** Bytes received per track id so far (tests read growth from these). */
	inboundBytes: Record<string, number>;
	/** Why our own video is held back now (RTCOutboundRtpStreamStats.qualityLimitationReason). */
	videoLimitation: string | null;
	/** The estimated sending bandwidth, bits per second (RTCIceCandidatePairStats.availableOutgoingBitrate). */
	outgoingBitrate: number | null;
}

export function quality(previous: StatsSample | null, current: StatsSample): Quality {
	if (current.rtt === null) return 'connecting';
	const received = current.audioReceived - (previous?.audioReceived ?? 0);
	const lost = current.audioLost - (previous?.audioLost ?? 0);
	const loss = received + lost > 0 ? lost / (received + lost) : 0;
	if (current.rtt > 0.8 || loss > 0.1) return 'poor';
	if (current.rtt > 0.3 || loss > 0.03) return 'fair';
	return 'good';
}

/** Below this estimate, 300 kbps of video would starve the voice: send sound only. */
export const MIN_VIDEO_BITRATE = 150_000;

/**
 * Whether this sample says our video should stop for the voice's sake: the voice itself suffers
 * (poor), or the sending estimate is below what video needs. The encoder's own `bandwidth`
 * limitation is not a sign: Chrome reports it whenever the 300 kbps cap holds the picture back.
 * Nor is a low estimate while the encoder says the processor holds it back (`cpu`): a starved device
 * delays its own packets, which the estimate reads as a congested link, and the encoder already
 * lowers the picture for the processor by itself. Poor voice always counts.
 */
export function linkTooWeakForVideo(current: StatsSample, q: Quality): boolean {
	if (q === 'poor') return true;
	if (current.videoLimitation === 'cpu') return false;
	return current.outgoingBitrate !== null && current.outgoingBitrate < MIN_VIDEO_BITRATE;
}

/** Reads the fields above from an RTCStatsReport (a Map-like of stats objects). */
export function sampleOf(report: { forEach(cb: (s: Record<string, unknown>) => void): void }): StatsSample {
	const sample: StatsSample = { rtt: null, audioReceived: 0, audioLost: 0, audioLevel: 0, inboundBytes: {}, videoLimitation: null, outgoingBitrate: null };
	report.forEach((s) => {
		if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
			sample.rtt = typeof s.currentRoundTripTime === 'number' ? s.currentRoundTripTime : 0;
			if (typeof s.availableOutgoingBitrate === 'number') sample.outgoingBitrate = s.availableOutgoingBitrate;
		} else if (s.type === 'inbound-rtp') {
			sample.inboundBytes[String(s.trackIdentifier ?? s.id)] = Number(s.bytesReceived ?? 0);
			if (s.kind === 'audio') {
				sample.audioReceived += Number(s.packetsReceived ?? 0);
				sample.audioLost += Math.max(0, Number(s.packetsLost ?? 0));
				sample.audioLevel = Math.max(sample.audioLevel, Number(s.audioLevel ?? 0));
			}
		} else if (s.type === 'outbound-rtp' && s.kind === 'video' && typeof s.qualityLimitationReason === 'string') {
			sample.videoLimitation = s.qualityLimitationReason;
		}
	});
	return sample;
}
