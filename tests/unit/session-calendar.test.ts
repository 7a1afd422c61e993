import { describe, expect, it } from 'vitest';
import { escapeText, fold } from '../../src/lib/server/mediation/sessions/session-calendar';
import { smsText } from '../../src/lib/server/notices/notice-text';

describe('the calendar file’s text (RFC 5545)', () => {
	it('folds long lines at 75 octets without splitting a character, even outside the BMP', () => {
		const line = `LOCATION:${'𠮷䶮𡈼调解室'.repeat(12)}`;
		const folded = fold(line);
		const parts = folded.split('\r\n');
		expect(parts.length).toBeGreaterThan(1);
		for (const [i, part] of parts.entries()) {
			expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
			if (i > 0) expect(part.startsWith(' ')).toBe(true);
		}
		// Unfolding (dropping CRLF + space) gives the line back exactly.
		expect(folded.replace(/\r\n /g, '')).toBe(line);
		expect(fold('SHORT:1')).toBe('SHORT:1');
	});

	it('escapes backslashes, semicolons, commas and newlines in text', () => {
		expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
	});
});

describe('SMS notices', () => {
	it('are one short sentence with the link, and name the provider template with the same words', () => {
		const { body, template } = smsText('panel_invited', { caseNumber: '2026-000123' }, '/cases/7/panel', 'https://pingli.example.cn/');
		expect(template).toEqual({ name: 'notice', params: { what: '您受邀参加2026-000123号案件的评理，请申明有无利害关系', link: 'https://pingli.example.cn/cases/7/panel' } });
		expect(body).toBe('【评理】您受邀参加2026-000123号案件的评理，请申明有无利害关系：https://pingli.example.cn/cases/7/panel');
		expect(body.length).toBeLessThanOrEqual(70 + 40);
	});
});
