/**
 * `npm run verify:pdf -- <copy.pdf>`: checks an agreement copy offline, without our server or
 * database — its digital signature (CMS, over the whole file), the signer's certificate and chain, the
 * RFC 3161 timestamp, and the attached signed text against the hash the copy states. Prints the
 * result in Chinese, then one line of JSON; exits 0 only when the copy is sealed and unmodified.
 */
import { readFileSync } from 'node:fs';
import { verifyPdfOffline, describeOffline } from '../src/lib/server/sealing/verify-pdf-offline';

const file = process.argv[2];
if (!file) {
	console.error('用法：npm run verify:pdf -- <协议副本.pdf>');
	process.exit(2);
}
let bytes: Uint8Array;
try {
	bytes = new Uint8Array(readFileSync(file));
} catch (err) {
	console.error(`无法读取文件：${file}（${err instanceof Error ? err.message : String(err)}）`);
	process.exit(2);
}
const result = await verifyPdfOffline(bytes);
for (const line of describeOffline(result)) console.log(line);
console.log(JSON.stringify({ file, ...result }));
process.exit(result.ok ? 0 : 1);
