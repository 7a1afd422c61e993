import { describe, expect, it } from 'vitest';
import { attachmentDisposition, copyAsciiFileName, copyFileName } from '../../src/lib/server/documents/copy-file-name';
import { outcomeTextFromAgreement } from '../../src/lib/server/outcomes/agreement-outcome-text';

describe('copy file names', () => {
	it('name the document, the case and the holder, exactly', () => {
		expect(copyFileName('2026-000013', '𠮷田春')).toBe('调解协议书-2026-000013-𠮷田春.pdf');
		expect(copyFileName('2026-000013', null)).toBe('调解协议书-2026-000013-委员会.pdf');
	});

	it('drop what a file system refuses or a reader could be misled by', () => {
		expect(copyFileName('2026-000013', '王/䶮:*?')).toBe('调解协议书-2026-000013-王䶮.pdf');
		expect(copyFileName('2026-000013', '\u202e李某\u200b')).toBe('调解协议书-2026-000013-李某.pdf');
		expect(copyFileName('2026-000013', '///')).toBe('调解协议书-2026-000013-当事人.pdf');
	});

	it('carry an ASCII fallback and the exact name (RFC 5987)', () => {
		expect(copyAsciiFileName('2026-000013', 7)).toBe('agreement-2026-000013-party-7.pdf');
		expect(attachmentDisposition('调解协议书-2026-000013-𠮷田春.pdf', 'agreement-2026-000013-party-7.pdf')).toBe(
			`attachment; filename="agreement-2026-000013-party-7.pdf"; filename*=UTF-8''%E8%B0%83%E8%A7%A3%E5%8D%8F%E8%AE%AE%E4%B9%A6-2026-000013-%F0%A0%AE%B7%E7%94%B0%E6%98%A5.pdf`
		);
	});
});

describe('outcome text from the agreement', () => {
	it('is sections 五 and 六 of the signed text, word for word', () => {
		const text = '人民调解协议书\n一、当事人基本情况\n1. 申请人：𠮷田春\n\n五、协议条款\n第1条\n   内容：赔偿\n\n六、其他约定：\n无\n\n本协议经各方当事人签名（或盖章、按指印）后生效。\n';
		expect(outcomeTextFromAgreement(text)).toBe('五、协议条款\n第1条\n   内容：赔偿\n\n六、其他约定：\n无');
	});
});
