import { describe, expect, it } from 'vitest';
import { linkTooWeakForVideo, quality, sampleOf, type StatsSample } from '../../src/lib/calls/quality';

const base: StatsSample = { rtt: 0.05, audioReceived: 1000, audioLost: 0, audioLevel: 0, inboundBytes: {}, videoLimitation: 'none', outgoingBitrate: 1_000_000 };

describe('call quality', () => {
	it('is connecting before a pair is nominated, then good, fair or poor by round trip and loss since the last sample', () => {
		expect(quality(null, { ...base, rtt: null })).toBe('connecting');
		expect(quality(null, base)).toBe('good');
		expect(quality(base, { ...base, rtt: 0.5 })).toBe('fair');
		expect(quality(base, { ...base, audioReceived: 1100, audioLost: 5 })).toBe('fair');
		expect(quality(base, { ...base, audioReceived: 1100, audioLost: 20 })).toBe('poor');
		expect(quality(base, { ...base, rtt: 1.2 })).toBe('poor');
	});

	it('gives up video on a poor link or a thin bandwidth estimate, not because the cap holds the encoder back', () => {
		expect(linkTooWeakForVideo(base, 'good')).toBe(false);
		expect(linkTooWeakForVideo(base, 'poor')).toBe(true);
		expect(linkTooWeakForVideo({ ...base, outgoingBitrate: 90_000 }, 'good')).toBe(true);
		expect(linkTooWeakForVideo({ ...base, videoLimitation: 'bandwidth' }, 'good')).toBe(false);
		// A busy processor makes the estimate look like a weak link; the voice still decides.
		expect(linkTooWeakForVideo({ ...base, outgoingBitrate: 90_000, videoLimitation: 'cpu' }, 'good')).toBe(false);
		expect(linkTooWeakForVideo({ ...base, outgoingBitrate: 90_000, videoLimitation: 'cpu' }, 'poor')).toBe(true);
	});

	it('reads a stats report', () => {
		const report = [
			{ type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.02, availableOutgoingBitrate: 500_000 },
			{ type: 'inbound-rtp', kind: 'audio', trackIdentifier: 'a1', bytesReceived: 900, packetsReceived: 50, packetsLost: 1, audioLevel: 0.2 },
			{ type: 'inbound-rtp', kind: 'video', trackIdentifier: 'v1', bytesReceived: 5000 },
			{ type: 'outbound-rtp', kind: 'video', qualityLimitationReason: 'cpu' }
		];
		expect(sampleOf(report)).toEqual({ rtt: 0.02, audioReceived: 50, audioLost: 1, audioLevel: 0.2, inboundBytes: { a1: 900, v1: 5000 }, videoLimitation: 'cpu', outgoingBitrate: 500_000 });
	});
});
