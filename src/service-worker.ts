/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline support for the live record (issue 4): a reload without network must still show the
 * record, whose text the page keeps in IndexedDB. So this worker keeps
 * - the built app (scripts, styles: the "shell"), served cache-first: their names change with every
 *   build;
 * - the HTML of record pages, /sessions/<id>, network-first: the network answer is always used and
 *   stored; the stored copy only when the network fails.
 * Both are stored only once someone opens a record: a resident filing a matter on a phone with little
 * data never downloads the whole app. Every other request goes to the network as if there were no
 * worker.
 */
import { build, files, version } from '$service-worker';
import { forgetRecordCopies } from '$lib/collab/forget-device-copies';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `shell-${version}`;
// Pages refer to this build's assets, so they are kept per build too.
const PAGES = `pages-${version}`;
const SHELL_URLS = new Set([...build, ...files]);
const RECORD_PAGE = /^\/sessions\/\d+$/;

sw.addEventListener('install', (event) => {
	event.waitUntil(sw.skipWaiting());
});

// No clients.claim(): a page loaded before the worker stays as it was loaded (its scripts are not
// re-routed mid-hydration); the next load of a record page goes through the worker.
sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== SHELL && key !== PAGES) await caches.delete(key);
		})()
	);
});

/** Stores a record page when it is a genuine page of this app (not a redirect to sign-in, not an error). */
async function keep(request: Request | string, response: Response): Promise<void> {
	if (response.status !== 200 || response.type !== 'basic' || response.redirected) return;
	const cache = await caches.open(PAGES);
	await cache.put(request, response);
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;

	// Signing out forgets the kept pages and records: the next person on this phone must not find them.
	if (request.method === 'POST' && url.pathname === '/logout') {
		event.waitUntil(Promise.all([caches.delete(PAGES), forgetRecordCopies()]));
		return;
	}
	if (request.method !== 'GET') return;

	if (SHELL_URLS.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit ?? fetch(request)));
		return;
	}

	if (RECORD_PAGE.test(url.pathname) && url.search === '') {
		event.respondWith(
			(async () => {
				try {
					const response = await fetch(request);
					event.waitUntil(keep(url.pathname, response.clone()));
					return response;
				} catch (err) {
					const kept = await caches.match(url.pathname, { cacheName: PAGES });
					if (kept) return kept;
					throw err;
				}
			})()
		);
	}
});

/** Stores whatever of the built app is not stored yet. */
async function keepShell(): Promise<void> {
	const cache = await caches.open(SHELL);
	const stored = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
	await cache.addAll([...SHELL_URLS].filter((path) => !stored.has(path)));
}

/**
 * A record page asks to be kept once the worker is ready (its first load did not go through the
 * worker): the app first, then the page, so a kept page always has its scripts.
 */
sw.addEventListener('message', (event) => {
	const data = event.data as { type?: string; url?: string } | null;
	if (data?.type !== 'keep-page' || typeof data.url !== 'string' || !RECORD_PAGE.test(data.url)) return;
	const url = data.url;
	event.waitUntil(
		keepShell()
			.then(() => fetch(url, { credentials: 'same-origin' }))
			.then((response) => keep(url, response))
			.catch(() => {
				// Offline at that moment: the next visit online keeps it.
			})
	);
});
