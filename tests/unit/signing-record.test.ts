import { describe, expect, it } from 'vitest';
import { certificateState, commonName, readableName } from '../../src/lib/server/sealing/certificate-info';
import { deviceFamily, maskAddress } from '../../src/lib/server/documents/signing-record';
import { sealingStatement } from '../../src/lib/server/documents/agreement-pdf';

describe('the signing record page', () => {
	it('masks addresses to their network half', () => {
		expect(maskAddress('192.168.31.7')).toBe('192.168.*.*');
		expect(maskAddress('::ffff:10.2.3.4')).toBe('10.2.*.*');
		expect(maskAddress('2408:8207:1234:5678::1')).toBe('2408:8207:*');
		expect(maskAddress(null)).toBe('未记录');
	});

	it('names the device family and nothing more', () => {
		expect(deviceFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15')).toBe('iPhone 手机');
		expect(deviceFamily('Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36')).toBe('Android 手机');
		expect(deviceFamily('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120')).toBe('Windows 电脑');
		expect(deviceFamily(null)).toBe('未记录');
	});

	it('says plainly whether a copy is sealed', () => {
		expect(sealingStatement(null)).toContain('未加数字签名');
		expect(sealingStatement({ signer: '城南村人民调解委员会', demo: false, timestamped: true })).toContain('并附可信时间戳');
		expect(sealingStatement({ signer: 'x', demo: true, timestamped: false })).toContain('演示证书');
	});
});

describe('certificate details', () => {
	it('reads names CN first and warns 30 days before expiry', () => {
		const name = readableName('C=CN\nO=永修县司法局\nCN=城南村人民调解委员会');
		expect(name).toBe('CN=城南村人民调解委员会, O=永修县司法局, C=CN');
		expect(commonName(name)).toBe('城南村人民调解委员会');
		const now = new Date('2027-01-01T00:00:00Z');
		const day = 86_400_000;
		expect(certificateState({ notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 31 * day) }, now)).toBe('valid');
		expect(certificateState({ notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 29 * day) }, now)).toBe('expiring');
		expect(certificateState({ notBefore: new Date(now.getTime() - 2 * day), notAfter: new Date(now.getTime() - day) }, now)).toBe('expired');
	});
});
