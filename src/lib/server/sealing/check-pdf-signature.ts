import { createHash, X509Certificate } from 'node:crypto';
import { extractSignature } from '@signpdf/utils';
import * as pkijs from 'pkijs';
import './cms-signer';
import { certificateInfo, type CertificateInfo } from './certificate-info';
import { DIGESTS, equalBytes, SIGNATURE_TIMESTAMP_OID, tstInfoOf } from './timestamp';

/**
 * What the digital signature of a PDF says, checked offline (nothing is fetched): whether it verifies
 * over exactly the bytes it claims, whether those bytes are the whole file, who signed with what
 * chain, and the timestamp token's time and whether it certifies this signature.
 */
export interface SignatureCheck {
	/**
	 * `none`: the file carries no signature. `valid`: the CMS signature verifies and covers the whole
	 * file. `invalid`: a signature is there but the file was changed after signing (or it covers only
	 * part of the file). `unreadable`: something that looks like a signature but cannot be read.
	 */
	status: 'none' | 'valid' | 'invalid' | 'unreadable';
	/** The signed byte ranges reach from the first byte to the last but for the signature itself. */
	wholeFile: boolean;
	signer: (CertificateInfo & { selfSigned: boolean }) | null;
	/** Every embedded certificate above the signer verifies the one below it. */
	chainVerified: boolean;
	timestamp: { verified: boolean; time: Date; authority: string | null } | null;
}

const NONE: SignatureCheck = { status: 'none', wholeFile: false, signer: null, chainVerified: false, timestamp: null };

const ab = (v: Uint8Array) => v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;

/** The signer's certificate chain as Node reads it, each verified against the next. */
function chainOf(signed: pkijs.SignedData, signer: pkijs.Certificate): { leaf: X509Certificate; verified: boolean } {
	const all = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => new X509Certificate(new Uint8Array(c.toSchema().toBER(false))));
	const leaf = new X509Certificate(new Uint8Array(signer.toSchema().toBER(false)));
	let current = leaf;
	let verified = true;
	for (let i = 0; i < all.length && current.subject !== current.issuer; i++) {
		const issuer = all.find((c) => c !== current && current.checkIssued(c));
		if (!issuer) break;
		verified &&= current.verify(issuer.publicKey);
		current = issuer;
	}
	return { leaf, verified };
}

async function checkTimestamp(signed: pkijs.SignedData): Promise<SignatureCheck['timestamp']> {
	const info = signed.signerInfos[0];
	const attr = info.unsignedAttrs?.attributes.find((a) => a.type === SIGNATURE_TIMESTAMP_OID);
	if (!attr) return null;
	const token = new pkijs.ContentInfo({ schema: attr.values[0] });
	const tst = tstInfoOf(token);
	const tokenSigned = new pkijs.SignedData({ schema: token.content });
	let verified = false;
	let authority: string | null = null;
	try {
		// pkijs checks the token's imprint against the data it is given: the signature value it time-stamps.
		const result = await tokenSigned.verify({ signer: 0, data: ab(info.signature.valueBlock.valueHexView), extendedMode: true, checkChain: false });
		verified = !!result.signatureVerified;
		if (result.signerCertificate) authority = certificateInfo(new Uint8Array(result.signerCertificate.toSchema().toBER(false))).subject;
	} catch {
		verified = false;
	}
	// The token must certify this very signature value: its imprint is the digest of it.
	const algorithm = DIGESTS[tst.messageImprint.hashAlgorithm.algorithmId];
	if (!algorithm) return { verified: false, time: tst.genTime, authority };
	const digest = createHash(algorithm.replace('-', '').toLowerCase()).update(info.signature.valueBlock.valueHexView).digest();
	verified &&= equalBytes(tst.messageImprint.hashedMessage.valueBlock.valueHexView, digest);
	return { verified, time: tst.genTime, authority };
}

/**
 * Checks a PDF's (first) signature. The file is scanned as bytes for its /ByteRange and /Contents
 * (@signpdf's extractor, which never interprets the rest of the PDF) and the CMS is parsed by pkijs
 * inside a try: a hostile upload yields `unreadable`, never an exception.
 */
export async function checkPdfSignature(pdf: Uint8Array): Promise<SignatureCheck> {
	const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
	if (buf.indexOf('/ByteRange') === -1) return NONE;
	let extracted: { ByteRange: number[]; signature: string; signedData: Buffer };
	try {
		extracted = extractSignature(buf);
	} catch {
		return { ...NONE, status: 'unreadable' };
	}
	const [start, firstLength, second, secondLength] = extracted.ByteRange;
	const wholeFile =
		start === 0 && firstLength < second && second + secondLength === buf.length && buf[firstLength] === 0x3c /* < */ && buf[second - 1] === 0x3e; /* > */
	let signed: pkijs.SignedData;
	try {
		const info = pkijs.ContentInfo.fromBER(ab(new Uint8Array(Buffer.from(extracted.signature, 'binary'))));
		signed = new pkijs.SignedData({ schema: info.content });
	} catch {
		return { ...NONE, status: 'unreadable', wholeFile };
	}
	let signatureVerified = false;
	let signerCert: pkijs.Certificate | null = null;
	try {
		const result = await signed.verify({ signer: 0, data: ab(new Uint8Array(extracted.signedData)), extendedMode: true, checkChain: false });
		signatureVerified = !!result.signatureVerified;
		signerCert = result.signerCertificate ?? null;
	} catch (err) {
		// pkijs reports a digest that does not match (the file was changed) as an error carrying the signer.
		signerCert = (err as { signerCertificate?: pkijs.Certificate | null }).signerCertificate ?? null;
	}
	let signer: SignatureCheck['signer'] = null;
	let chainVerified = false;
	if (signerCert) {
		const { leaf, verified } = chainOf(signed, signerCert);
		signer = { ...certificateInfo(new Uint8Array(leaf.raw)), selfSigned: leaf.subject === leaf.issuer };
		chainVerified = verified;
	}
	let timestamp: SignatureCheck['timestamp'] = null;
	try {
		timestamp = await checkTimestamp(signed);
	} catch {
		timestamp = { verified: false, time: new Date(0), authority: null };
	}
	return { status: signatureVerified && wholeFile ? 'valid' : 'invalid', wholeFile, signer, chainVerified, timestamp };
}
