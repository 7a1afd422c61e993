/**
 * Opus settings for weak village links, written into the SDP's `a=fmtp` line of Opus (RFC 7587 §7):
 * `usedtx=1` stops sending during silence (most of a mediation is someone else talking), and
 * `useinbandfec=1` carries a low-rate copy of the previous frame so a lost packet is recovered;
 * `maxaveragebitrate` keeps voice to 24 kbps, clear for speech. A description's fmtp line states what
 * its sender wants to receive, and the other side's encoder follows it. Each side writes these into the
 * description it receives, before applying it, so its own encoder sends this way: the local description
 * is then never edited, and can be made in one step by `setLocalDescription()`.
 */
const OPUS_PARAMS: Record<string, string> = { usedtx: '1', useinbandfec: '1', maxaveragebitrate: '24000' };

export function tuneOpus(sdp: string): string {
	const payloads = [...sdp.matchAll(/^a=rtpmap:(\d+) opus\/48000/gim)].map((m) => m[1]);
	let out = sdp;
	for (const pt of payloads) {
		const line = new RegExp(`^a=fmtp:${pt} (.*)$`, 'm');
		const found = line.exec(out);
		if (found) {
			const params = new Map(
				found[1]
					.trim()
					.split(';')
					.filter(Boolean)
					.map((p) => p.split('=').map((x) => x.trim()) as [string, string])
			);
			for (const [k, v] of Object.entries(OPUS_PARAMS)) params.set(k, v);
			out = out.replace(line, `a=fmtp:${pt} ${[...params].map(([k, v]) => `${k}=${v}`).join(';')}`);
		} else {
			const rtpmap = new RegExp(`^(a=rtpmap:${pt} opus/48000.*)$`, 'm');
			out = out.replace(rtpmap, `$1\r\na=fmtp:${pt} ${Object.entries(OPUS_PARAMS).map(([k, v]) => `${k}=${v}`).join(';')}`);
		}
	}
	return out;
}
