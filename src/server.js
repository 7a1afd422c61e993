/**
 * The production entry, `node build`: the adapter (svelte.config.js) writes this file as
 * `build/index.js` in place of adapter-node's own, whose polka server carries neither WebSocket
 * upgrades nor the protocol derivation below.
 *
 * It holds no app code on purpose. The app (SvelteKit handler, database, collaboration server) is
 * loaded from the build alone, so there is one copy of every module in the process; a custom
 * server that imported app modules itself would load a second copy beside the bundle's (adapter-node
 * bundles its own entries only, and names the app's chunks by hash, so an outside file cannot import
 * them; SvelteKit's instrumentation file, the one user file it bundles as an entry, is experimental
 * and runs before the server exists). So the app reaches out instead: loading
 * `handler.js` runs the app's `init` hook (hooks.server.ts: migrations, the demo seed on the first
 * embedded start), which also listens for SERVE_EVENT; this entry then hands it the HTTP server, on
 * which the app attaches its collaboration server (`/collab/` upgrades, the same port), listens and
 * stops gracefully (src/lib/server/serve.ts). Only Node's own modules are imported here, so
 * `npm ci --omit=dev` is enough to run the build.
 */
import { createServer } from 'node:http';

/** Must equal SERVE_EVENT in src/lib/server/serve.ts. */
const SERVE_EVENT = 'pingli:serve';

// Without ORIGIN (e.g. the office's LAN, reached by IP), derive the origin from the connection itself
// so SvelteKit's CSRF check compares against the real scheme. A client-sent header of that name is
// overwritten below, so it cannot be spoofed. Behind a proxy, set ORIGIN instead.
const PROTOCOL_HEADER = 'x-pingli-connection-protocol';
const deriveProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (deriveProtocol) process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;

// adapter-node reads BODY_SIZE_LIMIT when the handler loads (default 512K). Case attachments are 5 × 10 MB
// at most, so allow that plus the form; larger bodies get a 413 that the upload forms turn into a message.
process.env.BODY_SIZE_LIMIT ??= '52M';

// A computed specifier: the handler exists only in the build, beside this file.
/** @type {{ handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void }} */
const { handler } = await import(new URL('./handler.js', import.meta.url).href);

const server = createServer((req, res) => {
	if (deriveProtocol) req.headers[PROTOCOL_HEADER] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
	handler(req, res);
});
const events = /** @type {import('node:events').EventEmitter} */ (process);
if (!events.emit(SERVE_EVENT, server)) throw new Error('the app did not take the HTTP server: is this the built entry (build/index.js)?');
