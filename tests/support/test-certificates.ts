import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const run = promisify(execFile);

/**
 * PKCS#12 files as a certification authority issues them, made with Debian's openssl in a temporary
 * directory: a CA and a committee certificate it issued (the file holds the key, the certificate and
 * the CA), in OpenSSL 3's default encryption (PBES2/AES) and in the legacy 3DES one many CAs still
 * ship; one expiring within days; and an expired one (openssl 3.0 cannot backdate a certificate
 * outside `openssl ca`, so node-forge writes that one).
 */
export interface TestCertificates {
	password: string;
	/** CA-issued, valid a year, AES-encrypted. */
	issued: Uint8Array;
	/** The same kind, legacy 3DES encryption (SHA-1 MAC). */
	legacy: Uint8Array;
	/** Valid for 10 more days. */
	expiring: Uint8Array;
	/** Expired in 2021. */
	expired: Uint8Array;
	caPem: string;
	dispose: () => Promise<void>;
}

const EXT = `
[ ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
`;

export async function makeTestCertificates(password = 'Cert-Pass-2026'): Promise<TestCertificates> {
	const dir = await mkdtemp(join(tmpdir(), 'pingli-certs-'));
	const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
	await writeFile(join(dir, 'ext.cnf'), EXT);
	await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/C=CN/O=测试电子认证服务有限公司/CN=测试 CA', '-utf8', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
	const leaf = async (name: string, days: string, cn: string) => {
		await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=CN/O=永修县司法局/CN=${cn}`, '-utf8');
		await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', 'ext.cnf', '-extensions', 'leaf');
	};
	await leaf('issued', '365', '城南村人民调解委员会');
	await leaf('expiring', '10', '城南村人民调解委员会');
	const pass = `pass:${password}`;
	await openssl('pkcs12', '-export', '-inkey', 'issued.key', '-in', 'issued.pem', '-certfile', 'ca.pem', '-out', 'issued.p12', '-passout', pass);
	await openssl('pkcs12', '-export', '-inkey', 'issued.key', '-in', 'issued.pem', '-certfile', 'ca.pem', '-out', 'legacy.p12', '-passout', pass, '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
	await openssl('pkcs12', '-export', '-inkey', 'expiring.key', '-in', 'expiring.pem', '-certfile', 'ca.pem', '-out', 'expiring.p12', '-passout', pass);

	const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = '0a1b2c';
	cert.validity.notBefore = new Date('2020-01-01T00:00:00Z');
	cert.validity.notAfter = new Date('2021-01-01T00:00:00Z');
	const attrs = [{ shortName: 'CN', value: 'Expired Committee' }];
	cert.setSubject(attrs);
	cert.setIssuer(attrs);
	cert.sign(keys.privateKey, forge.md.sha256.create());
	const expired = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: '3des' })).getBytes();

	const bytes = async (name: string) => new Uint8Array(await readFile(join(dir, name)));
	return {
		password,
		issued: await bytes('issued.p12'),
		legacy: await bytes('legacy.p12'),
		expiring: await bytes('expiring.p12'),
		expired: new Uint8Array(Buffer.from(expired, 'binary')),
		caPem: await readFile(join(dir, 'ca.pem'), 'utf8'),
		dispose: () => rm(dir, { recursive: true, force: true })
	};
}
