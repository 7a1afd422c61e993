import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * adapter-node, whose build holds the whole server with production dependencies only (it bundles
 * everything else), with our entry `src/server.js` as `build/index.js` in place of its own: `node build`
 * then serves the app and the collaboration server's WebSocket upgrades on one port (see that file).
 * @returns {import('@sveltejs/kit').Adapter}
 */
function nodeWithEntry() {
	const node = adapter({ out: 'build' });
	return {
		...node,
		async adapt(builder) {
			await node.adapt(builder);
			builder.rimraf('build/index.js.map');
			builder.copy('src/server.js', 'build/index.js');
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: nodeWithEntry(),
		// SvelteKit adds a nonce (or, for prerendered pages, a hash) to its own inline script; no other
		// inline script may run. Styles keep 'unsafe-inline': Svelte and ECharts set style attributes, and
		// styles cannot run code. connect-src gets ws(s)://<host> per request in hooks (security-headers.ts).
		// Signatures and seals are shown as data: images.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
