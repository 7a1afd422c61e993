import { X509Certificate } from 'node:crypto';

/** What the admin page and the verification answers show of a certificate. */
export interface CertificateInfo {
	subject: string;
	issuer: string;
	serialNumber: string;
	notBefore: Date;
	notAfter: Date;
	/** SHA-256 of the DER, lower-case hex without colons. */
	fingerprint: string;
}

/**
 * Node prints a name one attribute a line in the certificate's order (C, O, …, CN); people read
 * it CN first, as readers show it: "CN=城南村人民调解委员会, O=…, C=CN".
 */
export function readableName(name: string): string {
	return name
		.split('\n')
		.filter((l) => l.trim() !== '')
		.reverse()
		.join(', ');
}

/** The common name (CN) of a readable name, or the whole name when it has none. */
export function commonName(readable: string): string {
	return /(?:^|, )CN=([^,]+)/.exec(readable)?.[1] ?? readable;
}

export function certificateInfo(der: Uint8Array): CertificateInfo {
	const cert = new X509Certificate(der);
	return {
		subject: readableName(cert.subject),
		issuer: readableName(cert.issuer),
		serialNumber: cert.serialNumber.toLowerCase(),
		notBefore: new Date(cert.validFrom),
		notAfter: new Date(cert.validTo),
		fingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase()
	};
}

/** Days ahead of expiry from which the admin is warned to renew. */
export const EXPIRY_WARNING_DAYS = 30;

export type CertificateState = 'valid' | 'expiring' | 'expired' | 'not_yet_valid';

export function certificateState(c: { notBefore: Date; notAfter: Date }, now = new Date()): CertificateState {
	if (now < c.notBefore) return 'not_yet_valid';
	if (now > c.notAfter) return 'expired';
	return c.notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000 ? 'expiring' : 'valid';
}
