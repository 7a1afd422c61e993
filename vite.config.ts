import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import type { Server } from 'node:http';
import { defineConfig, type Plugin } from 'vite';

/**
 * In development the collaboration server rides on Vite's own HTTP server, loaded through Vite's
 * SSR module graph so it shares modules (and the database) with SvelteKit. It answers only
 * `/collab/...` upgrades and leaves Vite's HMR socket alone.
 */
const collabDev = (): Plugin => ({
	name: 'pingli-collab-dev',
	apply: 'serve',
	configureServer(server) {
		const httpServer = server.httpServer as Server | null;
		if (!httpServer) return;
		void server
			.ssrLoadModule('/src/lib/server/collab/start-collab.ts')
			.then((mod) => mod.startCollab(httpServer))
			.catch((err) => server.config.logger.error(`collaboration server failed to start: ${err}`));
	}
});

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Chinese is the default whatever the browser says; an explicit choice is kept in a cookie.
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit(),
		collabDev()
	]
});
