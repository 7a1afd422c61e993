import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eventIn = (file: string) => /const SERVE_EVENT = '([^']+)';/.exec(readFileSync(resolve(root, file), 'utf8'))?.[1];

describe('the production entry and the app', () => {
	// src/server.js imports nothing of the app (one copy of each module), so the event name is written twice.
	it('name the same event for handing over the HTTP server', () => {
		expect(eventIn('src/server.js')).toBeTruthy();
		expect(eventIn('src/server.js')).toBe(eventIn('src/lib/server/serve.ts'));
	});
});
