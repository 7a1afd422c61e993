/**
 * The production wiring without the SvelteKit handler, run from source, for the integration test that
 * kills and restarts the server process (collab-restart.test.ts): the same `serve` (src/lib/server/serve.ts)
 * as the built entry — database preparation, the collaboration server on a node:http server, the same
 * "Pingli listening on" line and the same SIGTERM flush. Only the collaboration protocol is spoken, so
 * no build is needed; the fault suite runs the built entry itself.
 */
import { createServer } from 'node:http';
import { serve } from '../../src/lib/server/serve';

await serve(createServer((_req, res) => res.writeHead(404).end()));
