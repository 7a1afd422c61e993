import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { frameMessages } from '../../src/lib/server/collab/wire';

// ws's own framing (its Sender has no type declarations).
const { Sender } = createRequire(import.meta.url)('ws') as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

/** What the ws library itself sends for one unmasked binary message. */
const wsFrame = (data: Uint8Array) => Buffer.concat(Sender.frame(Buffer.from(data), { fin: true, opcode: 2, mask: false, rsv1: false, readOnly: false }));

describe('frameMessages', () => {
	it('frames each message exactly as ws does, at every length boundary, back to back', () => {
		const messages = [0, 1, 125, 126, 127, 65_535, 65_536, 70_000].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) % 256));
		for (const m of messages) expect(frameMessages([m]).equals(wsFrame(m))).toBe(true);
		expect(frameMessages(messages).equals(Buffer.concat(messages.map(wsFrame)))).toBe(true);
	});
});
