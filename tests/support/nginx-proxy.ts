/**
 * The shipped reverse-proxy configuration (deploy/nginx/pingli.conf) run by Debian's nginx on loopback,
 * for tests/e2e/proxy.spec.ts. The file is used as shipped, with only what a county edits changed for
 * the test — ports, certificate paths, the upstream list — plus what the test needs to look inside:
 * - a pin: a `pingli_pin=a|b` cookie sends a browser to one instance (two more upstreams and a map;
 *   without the cookie the shipped upstream of both instances is used), so two people can be put on
 *   different instances on purpose rather than by the luck of round robin;
 * - an `X-Pingli-Upstream` response header and an access log naming the instance of every request,
 *   WebSocket upgrades included;
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

const SHIPPED = resolve(import.meta.dirname, '../../deploy/nginx/pingli.conf');

/** A throwaway self-signed certificate for 127.0.0.1, valid one day. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
	const cert = join(dir, 'fullchain.pem');
	const key = join(dir, 'privkey.pem');
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
			.concat(['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]),
		{ stdio: 'pipe' }
	);
	return { cert, key };
}

export interface ProxyPorts {
	http: number;
	https: number;
	/** The app instances, in upstream order: pin `a` is the first, `b` the second. */
	apps: [number, number];
}

/** Replaces `from` in `text`, and fails loudly when the shipped file no longer has it. */
function edit(text: string, from: string | RegExp, to: string): string {
	const next = text.replace(from, to);
	if (next === text) throw new Error(`deploy/nginx/pingli.conf no longer contains ${from}: update tests/support/nginx-proxy.ts`);
	return next;
}

/** The shipped site file, edited for loopback ports, the test certificate, two instances and the pin. */
export function renderSiteConfig(ports: ProxyPorts, certificate: { cert: string; key: string }): string {
	const [a, b] = ports.apps;
	let site = readFileSync(SHIPPED, 'utf8');
	site = edit(site, /server 127\.0\.0\.1:3000;\n\s*# server 127\.0\.0\.1:3001;/, `server 127.0.0.1:${a};\n\tserver 127.0.0.1:${b};`);
	site = edit(site, /listen 80;\n\s*listen \[::\]:80;/, `listen 127.0.0.1:${ports.http};`);
	site = edit(site, /listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;/, `listen 127.0.0.1:${ports.https} ssl http2;`);
	site = edit(site, '/etc/ssl/pingli/fullchain.pem', certificate.cert);
	site = edit(site, '/etc/ssl/pingli/privkey.pem', certificate.key);
	site = edit(site, /proxy_pass http:\/\/pingli;/g, 'proxy_pass http://$pingli_pool;');
	site = edit(site, /(ssl_session_cache [^\n]*\n)/, '$1\tadd_header X-Pingli-Upstream $upstream_addr always;\n');
	const pin = [
		`upstream pingli_a { server 127.0.0.1:${a}; }`,
		`upstream pingli_b { server 127.0.0.1:${b}; }`,
		'map $cookie_pingli_pin $pingli_pool {',
		'\tdefault pingli;',
		'\ta pingli_a;',
		'\tb pingli_b;',
		'}'
	].join('\n');
	return `${site}\n# Test only (tests/support/nginx-proxy.ts): a cookie pins a browser to one instance.\n${pin}\n`;
}

export interface RunningProxy {
	/** https://127.0.0.1:PORT */
	origin: string;
	/** The access log so far: `<client> "<request line>" <status> upstream=<addr>` per line. */
	accessLog(): string;
	stop(): Promise<void>;
}

/** Starts nginx (in the foreground, as a child) with the rendered site file; resolves once it listens. */
export async function startProxy(dir: string, ports: ProxyPorts): Promise<RunningProxy> {
	const certificate = selfSignedCertificate(dir);
	for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp), { recursive: true });
	writeFileSync(join(dir, 'pingli.conf'), renderSiteConfig(ports, certificate));
	const accessLog = join(dir, 'access.log');
	const errorLog = join(dir, 'error.log');
	writeFileSync(accessLog, '');
	const main = [
		'daemon off;',
		'worker_processes 1;',
		// As root (CI), workers would otherwise run as nobody and could not write the temp folders here.
		...(process.getuid?.() === 0 ? ['user root;'] : []),
		`pid ${join(dir, 'nginx.pid')};`,
		`error_log ${errorLog} warn;`,
		'events { worker_connections 256; }',
		'http {',
		"\tlog_format pingli_test '$remote_addr \"$request\" $status upstream=$upstream_addr';",
		`\taccess_log ${accessLog} pingli_test;`,
		...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `\t${t === 'body' ? 'client_body' : t}_temp_path ${join(dir, t)};`),
		`\tinclude ${join(dir, 'pingli.conf')};`,
		'}'
	].join('\n');
	const conf = join(dir, 'nginx.conf');
	writeFileSync(conf, `${main}\n`);
	const args = ['-e', errorLog, '-p', dir, '-c', conf];
	// `nginx -t` first: a config the shipped nginx refuses is reported as such, not as a port that never opens.
	try {
		execFileSync('nginx', ['-t', ...args], { stdio: 'pipe' });
	} catch (err) {
		throw new Error(`nginx -t refused the rendered config:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
	}
	const child = spawn('nginx', args, { stdio: 'ignore' });
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	const onExit = () => child.kill('SIGKILL');
	process.once('exit', onExit);
	let running = true;
	void exited.then(() => (running = false));
	// Readiness: the TLS port accepts connections (polled: nginx prints nothing when it is ready).
	for (let attempt = 0; ; attempt++) {
		if (!running) throw new Error(`nginx exited at start:\n${readFileSync(errorLog, 'utf8')}`);
		if (await accepts(ports.https)) break;
		if (attempt > 200) throw new Error(`nginx did not listen on ${ports.https}:\n${readFileSync(errorLog, 'utf8')}`);
		await new Promise((done) => setTimeout(done, 50));
	}
	return {
		origin: `https://127.0.0.1:${ports.https}`,
		accessLog: () => readFileSync(accessLog, 'utf8'),
		async stop() {
			// SIGQUIT: a graceful stop, open WebSockets are closed by nginx.
			if (running) child.kill('SIGQUIT');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
			process.off('exit', onExit);
		}
	};
}

function accepts(port: number): Promise<boolean> {
	return new Promise((done) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			done(true);
		});
		socket.once('error', () => done(false));
	});
}
