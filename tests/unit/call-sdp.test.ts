import { describe, expect, it } from 'vitest';
import { tuneOpus } from '../../src/lib/calls/sdp';

const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 63', 'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc', 'a=fmtp:111 minptime=10;useinbandfec=0', 'a=rtpmap:63 red/48000/2', ''].join('\r\n');

describe('tuneOpus', () => {
	it('turns on DTX and FEC and caps the bitrate on the Opus fmtp line, keeping its other settings', () => {
		const out = tuneOpus(sdp);
		expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;maxaveragebitrate=24000\r\n');
		expect(out).toContain('a=rtpmap:63 red/48000/2');
	});

	it('adds an fmtp line when Opus has none, and leaves an SDP without Opus alone', () => {
		const bare = sdp.replace('a=fmtp:111 minptime=10;useinbandfec=0\r\n', '');
		expect(tuneOpus(bare)).toContain('a=rtpmap:111 opus/48000/2\r\na=fmtp:111 usedtx=1;useinbandfec=1;maxaveragebitrate=24000');
		const video = 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n';
		expect(tuneOpus(video)).toBe(video);
	});
});
