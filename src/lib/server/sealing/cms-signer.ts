import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signingKeyKind } from './read-pkcs12';
import { requestTimestamp, SIGNATURE_TIMESTAMP_OID, type Timestamp } from './timestamp';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const OID = {
	data: '1.2.840.113549.1.7.1',
	signedData: '1.2.840.113549.1.7.2',
	contentType: '1.2.840.113549.1.9.3',
	messageDigest: '1.2.840.113549.1.9.4',
	signingCertificateV2: '1.2.840.113549.1.9.16.2.47'
};

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** A certificate and key as the sealing service holds them in memory for one copy. */
export interface SealIdentity {
	certificate: Uint8Array;
	chain: Uint8Array[];
	privateKey: Uint8Array;
}

const buffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

async function importKey(pkcs8: Uint8Array): Promise<CryptoKey> {
	const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
	const algorithm =
		signingKeyKind(key) === 'rsa'
			? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
			: { name: 'ECDSA', namedCurve: CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] };
	return webcrypto.subtle.importKey('pkcs8', buffer(pkcs8), algorithm, false, ['sign']) as Promise<CryptoKey>;
}

/**
 * ESS signing-certificate-v2 (RFC 5035), which CAdES (ETSI EN 319 122) requires among the signed
 * attributes so the signer's certificate cannot be swapped. pkijs has no class for it; it is built
 * here from asn1js's types and pkijs's IssuerSerial, SEQUENCE { SEQUENCE OF ESSCertIDv2 { certHash,
 * issuerSerial } } with SHA-256, the default hash, left out as DER requires.
 */
function signingCertificateV2(cert: pkijs.Certificate, der: Uint8Array): pkijs.Attribute {
	const issuerSerial = new pkijs.IssuerSerial({
		issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }),
		serialNumber: cert.serialNumber
	});
	const certId = new asn1js.Sequence({
		value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(der).digest() }), issuerSerial.toSchema()]
	});
	return new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] })] });
}

/**
 * Signs the bytes @signpdf hands over (the whole file but the signature's own /Contents) as a
 * detached CMS SignedData for the ETSI.CAdES.detached sub-filter (PAdES B-B): signed attributes
 * content-type, message-digest and signing-certificate-v2, the certificate chain embedded, and — with a
 * timestamp authority — its token on the signature value as the unsigned signature-time-stamp
 * attribute (PAdES B-T). The signing time is the /M entry of the signature dictionary, as PAdES
 * wants, not a signed attribute.
 */
export class CmsSigner extends Signer {
	/** The timestamp embedded by the last `sign()`, if any. */
	timestamp: Timestamp | null = null;

	constructor(
		private readonly identity: SealIdentity,
		private readonly tsaUrl: string | undefined
	) {
		super();
	}

	async sign(pdf: Buffer): Promise<Buffer> {
		const cert = pkijs.Certificate.fromBER(buffer(this.identity.certificate));
		const chain = this.identity.chain.map((c) => pkijs.Certificate.fromBER(buffer(c)));
		const digest = createHash('sha256').update(pdf).digest();
		const signed = new pkijs.SignedData({
			version: 1,
			encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
			signerInfos: [
				new pkijs.SignerInfo({
					version: 1,
					sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
					signedAttrs: new pkijs.SignedAndUnsignedAttributes({
						type: 0,
						attributes: [
							new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
							new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
							signingCertificateV2(cert, this.identity.certificate)
						]
					})
				})
			],
			certificates: [cert, ...chain]
		});
		await signed.sign(await importKey(this.identity.privateKey), 0, 'SHA-256');
		this.timestamp = null;
		if (this.tsaUrl) {
			const signerInfo = signed.signerInfos[0];
			this.timestamp = await requestTimestamp(this.tsaUrl, signerInfo.signature.valueBlock.valueHexView);
			signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
				type: 1,
				attributes: [new pkijs.Attribute({ type: SIGNATURE_TIMESTAMP_OID, values: [this.timestamp.token.toSchema()] })]
			});
		}
		const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
		return Buffer.from(info.toSchema().toBER());
	}
}
