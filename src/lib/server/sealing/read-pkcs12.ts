import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../errors';

/** A PKCS#12 file as a CA issues it is a few kilobytes; anything near this is not one. */
export const MAX_PKCS12_BYTES = 100 * 1024;

export interface SigningIdentity {
	/** The signing certificate, DER. */
	certificate: Uint8Array;
	/** The certificates above it found in the file (DER), nearest issuer first. */
	chain: Uint8Array[];
	/** PKCS#8 DER of the private key. */
	privateKey: Uint8Array;
}

const der = (a: forge.asn1.Asn1) => new Uint8Array(Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary'));

/** The key types a PDF reader checks: RSA, and ECDSA on P-256/P-384/P-521. */
export function signingKeyKind(key: KeyObject): 'rsa' | 'ec' | null {
	if (key.asymmetricKeyType === 'rsa') return 'rsa';
	if (key.asymmetricKeyType === 'ec' && ['prime256v1', 'secp384r1', 'secp521r1'].includes(key.asymmetricKeyDetails?.namedCurve ?? '')) return 'ec';
	return null;
}

/**
 * Opens a PKCS#12 (.p12/.pfx) file with its password and finds the signing certificate that matches
 * its private key. node-forge reads the legacy encryptions CAs still issue (3DES, RC2) as well as
 * PBES2/AES; keys and certificates it cannot model itself (EC) come back as ASN.1, which Node's
 * crypto then reads. Every failure is a field error the admin page shows in words.
 */
export function readPkcs12(bytes: Uint8Array, password: string, now = new Date()): SigningIdentity {
	if (bytes.length === 0) throw new AppError('invalid', { certificate: 'err_cert_file_required' });
	if (bytes.length > MAX_PKCS12_BYTES) throw new AppError('invalid', { certificate: 'err_cert_too_large' });
	let asn1: forge.asn1.Asn1;
	try {
		asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
	} catch {
		throw new AppError('invalid', { certificate: 'err_cert_not_pkcs12' });
	}
	let p12: forge.pkcs12.Pkcs12Pfx;
	try {
		p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
	} catch (err) {
		const text = err instanceof Error ? err.message : '';
		// forge says "Invalid password?" for a MAC that does not verify and "wrong password?" for a key it cannot decrypt.
		if (/password/i.test(text)) throw new AppError('invalid', { password: 'err_cert_password' });
		throw new AppError('invalid', { certificate: 'err_cert_not_pkcs12' });
	}
	const keyBags = [
		...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
		...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? [])
	];
	const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((bag) =>
		bag.cert ? der(forge.pki.certificateToAsn1(bag.cert)) : der((bag as unknown as { asn1: forge.asn1.Asn1 }).asn1)
	);
	if (keyBags.length !== 1 || certs.length === 0) throw new AppError('invalid', { certificate: 'err_cert_no_key' });
	const bag = keyBags[0];
	const pkcs8 = bag.key
		? der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)))
		: der((bag as unknown as { asn1: forge.asn1.Asn1 }).asn1);
	let key: KeyObject;
	try {
		key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
	} catch {
		throw new AppError('invalid', { certificate: 'err_cert_no_key' });
	}
	if (!signingKeyKind(key)) throw new AppError('invalid', { certificate: 'err_cert_key_type' });
	const parsed = certs.map((c) => ({ der: c, x509: new X509Certificate(c) }));
	const leaf = parsed.find((c) => c.x509.checkPrivateKey(key));
	if (!leaf) throw new AppError('invalid', { certificate: 'err_cert_no_key' });
	if (now > new Date(leaf.x509.validTo)) throw new AppError('invalid', { certificate: 'err_cert_expired' });
	if (now < new Date(leaf.x509.validFrom)) throw new AppError('invalid', { certificate: 'err_cert_not_yet_valid' });
	// The chain in issuing order: each next certificate is the one that issued the one before.
	const chain: Uint8Array[] = [];
	let current = leaf.x509;
	for (let i = 0; i < parsed.length; i++) {
		if (current.issuer === current.subject) break;
		const issuer = parsed.find((c) => c.x509 !== current && current.checkIssued(c.x509) && current.verify(c.x509.publicKey));
		if (!issuer || chain.includes(issuer.der)) break;
		chain.push(issuer.der);
		current = issuer.x509;
	}
	return { certificate: leaf.der, chain, privateKey: pkcs8 };
}
