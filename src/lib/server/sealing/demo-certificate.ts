import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import './cms-signer';
import type { SigningIdentity } from './read-pkcs12';

/**
 * A self-signed certificate for development and the demo, so that every demo copy is sealed. Its
 * subject says 演示 (demonstration) in the name and the organisation: a reader shows it as an
 * untrusted signer, and nobody can take it for a certification authority's.
 */
export async function makeDemoCertificate(committee: string, now = new Date(), years = 5): Promise<SigningIdentity> {
	const keys = (await webcrypto.subtle.generateKey(
		{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
		true,
		['sign', 'verify']
	)) as CryptoKeyPair;
	const cert = new pkijs.Certificate();
	cert.version = 2;
	const serial = randomBytes(16);
	// Positive and without a leading zero byte: a 0x00 followed by a byte below 0x80 is DER's "illegal
	// padding", which OpenSSL (node:crypto's X509Certificate) refuses; it came up once in 256 seeds.
	serial[0] = (serial[0] & 0x7f) | 0x40;
	cert.serialNumber = new asn1js.Integer({ valueHex: serial });
	const name = [
		['2.5.4.6', new asn1js.PrintableString({ value: 'CN' })],
		['2.5.4.10', new asn1js.Utf8String({ value: '评理 演示证书（自签名，仅供演示）' })],
		['2.5.4.3', new asn1js.Utf8String({ value: `${committee}（演示）` })]
	] as const;
	// One attribute per RDN, as CAs write names (pkijs would put them all into one multi-valued RDN),
	// so the name goes through its BER form, which pkijs keeps as it was decoded.
	const rdns = new asn1js.Sequence({ value: name.map(([type, value]) => new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value }).toSchema()] })) });
	cert.subject = pkijs.RelativeDistinguishedNames.fromBER(rdns.toBER(false));
	cert.issuer = pkijs.RelativeDistinguishedNames.fromBER(rdns.toBER(false));
	cert.notBefore.value = new Date(now.getTime() - 60_000);
	cert.notAfter.value = new Date(now.getTime() + years * 365 * 86_400_000);
	const basic = new pkijs.BasicConstraints({ cA: false });
	cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: basic.toSchema().toBER(false), parsedValue: basic })];
	await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
	await cert.sign(keys.privateKey, 'SHA-256');
	return {
		certificate: new Uint8Array(cert.toSchema(true).toBER(false)),
		chain: [],
		privateKey: new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
	};
}
