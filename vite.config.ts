import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Chinese is the default whatever the browser says; an explicit choice is kept in a cookie.
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit()
	]
});
