/**
 * Server-to-client binary WebSocket messages framed once for many sockets (RFC 6455 §5.2: FIN,
 * opcode 2, no mask, 7-, 16- or 64-bit payload length). A fan-out to 200 peers then costs one buffer
 * and one socket write per peer, instead of a frame header, a send and a system call per message per
 * peer.
 */
export function frameMessages(messages: Uint8Array[]): Buffer {
	let size = 0;
	for (const m of messages) size += headerLength(m.length) + m.length;
	const out = Buffer.allocUnsafe(size);
	let at = 0;
	for (const m of messages) {
		out[at++] = 0x82;
		if (m.length < 126) {
			out[at++] = m.length;
		} else if (m.length < 0x10000) {
			out[at++] = 126;
			out.writeUInt16BE(m.length, at);
			at += 2;
		} else {
			out[at++] = 127;
			out.writeBigUInt64BE(BigInt(m.length), at);
			at += 8;
		}
		out.set(m, at);
		at += m.length;
	}
	return out;
}

function headerLength(n: number): number {
	return n < 126 ? 2 : n < 0x10000 ? 4 : 10;
}
