import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * An RFC 3161 timestamp authority on loopback for the tests: Debian's `openssl ts -reply` behind a
 * small node:http handler, with a CA and a TSA certificate (extendedKeyUsage timeStamping, critical)
 * made with openssl in a temporary directory at start. Nothing reaches an outside service.
 */
export interface TestTsa {
	url: string;
	/** How many requests it answered. */
	requests: () => number;
	/** Makes the next answers fail with HTTP 503 (a TSA that is down). */
	setDown: (down: boolean) => void;
	/** The TSA's CA certificate, PEM. */
	caPem: string;
	close: () => Promise<void>;
}

const CONFIG = (dir: string) => `
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ ca_ext ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = ${dir}/serial
crypto_device = builtin
signer_cert = ${dir}/tsa.pem
certs = ${dir}/ca.pem
signer_key = ${dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

export async function startTestTsa(): Promise<TestTsa> {
	const dir = await mkdtemp(join(tmpdir(), 'pingli-tsa-'));
	const cfg = join(dir, 'openssl.cnf');
	await writeFile(cfg, CONFIG(dir));
	await writeFile(join(dir, 'serial'), '01\n');
	const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
	await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/C=CN/O=Pingli Test/CN=Test TSA Root', '-config', cfg, '-extensions', 'ca_ext');
	await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/C=CN/O=Pingli Test/CN=Test Timestamp Authority', '-config', cfg);
	await openssl('x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '30', '-extfile', cfg, '-extensions', 'tsa_ext');
	let count = 0;
	let down = false;
	let seq = 0;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			if (down || req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
				res.writeHead(down ? 503 : 400).end();
				return;
			}
			const n = ++seq;
			try {
				await writeFile(join(dir, `q${n}.tsq`), Buffer.concat(chunks));
				await openssl('ts', '-reply', '-config', cfg, '-queryfile', `q${n}.tsq`, '-out', `r${n}.tsr`);
				const reply = await readFile(join(dir, `r${n}.tsr`));
				count++;
				res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
			} catch {
				res.writeHead(500).end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}/tsa`,
		requests: () => count,
		setDown: (d) => (down = d),
		caPem: await readFile(join(dir, 'ca.pem'), 'utf8'),
		close: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await rm(dir, { recursive: true, force: true });
		}
	};
}
