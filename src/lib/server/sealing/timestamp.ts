import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** id-aa-signatureTimeStampToken (RFC 3161 appendix A): the unsigned attribute a CAdES-T signature carries. */
export const SIGNATURE_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.14';
const SHA256 = '2.16.840.1.101.3.4.2.1';
/** The digest algorithms a timestamp token may name for its imprint, as WebCrypto calls them. */
export const DIGESTS: Record<string, string> = {
	'1.3.14.3.2.26': 'SHA-1',
	[SHA256]: 'SHA-256',
	'2.16.840.1.101.3.4.2.2': 'SHA-384',
	'2.16.840.1.101.3.4.2.3': 'SHA-512'
};

export class TimestampError extends Error {}

/** A timestamp authority's answer for one signature: the token to embed and the time it certifies. */
export interface Timestamp {
	token: pkijs.ContentInfo;
	genTime: Date;
}

const TSA_TIMEOUT_MS = 15_000;

/**
 * Asks the RFC 3161 timestamp authority at `url` to time-stamp `signature` (the CMS signature value),
 * with a random nonce and the authority's certificate requested, and checks that the answer is
 * granted and certifies exactly this imprint and nonce before it is embedded.
 */
export async function requestTimestamp(url: string, signature: Uint8Array): Promise<Timestamp> {
	const imprint = new Uint8Array(await webcrypto.subtle.digest('SHA-256', signature));
	const nonce = randomBytes(8);
	nonce[0] &= 0x7f; // a positive INTEGER
	const request = new pkijs.TimeStampReq({
		version: 1,
		messageImprint: new pkijs.MessageImprint({
			hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
			hashedMessage: new asn1js.OctetString({ valueHex: imprint })
		}),
		nonce: new asn1js.Integer({ valueHex: nonce }),
		certReq: true
	});
	let body: ArrayBuffer;
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
			body: new Uint8Array(request.toSchema().toBER()),
			signal: AbortSignal.timeout(TSA_TIMEOUT_MS)
		});
		if (!res.ok) throw new TimestampError(`timestamp authority answered ${res.status}`);
		body = await res.arrayBuffer();
	} catch (err) {
		if (err instanceof TimestampError) throw err;
		throw new TimestampError(`timestamp authority unreachable: ${err instanceof Error ? err.message : String(err)}`);
	}
	let response: pkijs.TimeStampResp;
	try {
		response = pkijs.TimeStampResp.fromBER(body);
	} catch {
		throw new TimestampError('timestamp authority sent something that is not a TimeStampResp');
	}
	// 0 granted, 1 granted with modifications; anything else is a refusal.
	if (response.status.status > 1 || !response.timeStampToken) throw new TimestampError(`timestamp refused (status ${response.status.status})`);
	const info = tstInfoOf(response.timeStampToken);
	if (!equalBytes(info.messageImprint.hashedMessage.valueBlock.valueHexView, imprint)) throw new TimestampError('timestamp certifies another imprint');
	if (!info.nonce || !equalBytes(new Uint8Array(info.nonce.valueBlock.valueHexView), nonce)) throw new TimestampError('timestamp nonce does not match');
	return { token: response.timeStampToken, genTime: info.genTime };
}

/** The TSTInfo a timestamp token's SignedData encapsulates. */
export function tstInfoOf(token: pkijs.ContentInfo): pkijs.TSTInfo {
	const signed = new pkijs.SignedData({ schema: token.content });
	const content = signed.encapContentInfo.eContent;
	if (!content) throw new TimestampError('timestamp token without content');
	return pkijs.TSTInfo.fromBER(content.getValue());
}

export function equalBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
