import { describe, expect, it } from 'vitest';
import { closeMessage, FINAL_CLOSE } from '../../src/lib/collab/close-reason';
import { CLOSE } from '../../src/lib/server/collab/connection';
import { m } from '../../src/lib/paraglide/messages';

describe('closeMessage', () => {
	it("matches the server's final close codes, each in the range y-websocket does not retry", () => {
		expect(FINAL_CLOSE).toEqual({
			tooManyConnections: CLOSE.tooManyConnections,
			recordTooLarge: CLOSE.recordTooLarge,
			updateRejected: CLOSE.updateRejected,
			tooFast: CLOSE.tooManyFrames
		});
		for (const code of Object.values(FINAL_CLOSE)) expect(code >= 4400 && code < 4500).toBe(true);
	});

	it('says why in Chinese and in English, and falls back to the general refusal', () => {
		const zh = { locale: 'zh-CN' as const };
		const en = { locale: 'en' as const };
		expect(closeMessage(CLOSE.recordTooLarge)).toBe(m.cb_record_too_large());
		expect(m.cb_record_too_large({}, zh)).toContain('大小上限');
		expect(m.cb_too_many_windows({}, en)).toContain('too many live windows');
		expect(closeMessage(CLOSE.forbidden)).toBe(m.record_refused());
		expect(closeMessage(null)).toBe(m.record_refused());
	});
});
