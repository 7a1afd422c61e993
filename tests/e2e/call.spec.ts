/**
 * Issue 14: a session's call with the live record beside it. Three people — the mediator at a desk,
 * the remote panelist who finds the case from his own home page, and the respondent without an
 * account on a phone through a personal link and a texted code — join, turn video on, and each
 * receives sound and picture from both others (getStats: inbound bytes growing on every track). Then
 * the same through a coturn on loopback with every browser forced to relay, so TURN and the app's
 * time-limited credentials are proven. Chromium's fake camera and microphone stand in for devices.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { e2eTurn, startTurnServer, type TurnServer } from '../support/turn-server';
import { CHROMIUM_ARGS, FULL_CHROMIUM } from './chromium';
import { DEMO_MEDIATION_CASE_TITLE, demoSessionPath } from './demo-case';
import { expect, signIn, test } from './fixtures';
import { codeFromOutbox } from './signing-helpers';

const call: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/call/zh-CN.json'), 'utf8'));
const notices: Record<string, string> = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../messages/notices/zh-CN.json'), 'utf8'));
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESK = { viewport: { width: 1280, height: 900 } };
const RESPONDENT_PHONE = '13907920033';

test.use({
	launchOptions: {
		executablePath: FULL_CHROMIUM,
		args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']
	}
});
// Both tests use the demo session's one call room (and each person holds one seat in it).
test.describe.configure({ mode: 'serial' });

/** Every RTCPeerConnection a page makes, kept for the test to read; with `relay`, relayed only. */
function watchConnections(relay: boolean) {
	const w = window as unknown as { __pcs: RTCPeerConnection[]; __trace: string[] };
	w.__pcs = [];
	// What happened to each connection and on the call socket, printed should the call fail.
	w.__trace = [];
	const trace = (line: string) => {
		if (w.__trace.length < 400) w.__trace.push(`${Math.round(performance.now())} ${line}`);
	};
	const Native = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Native {
		constructor(config?: RTCConfiguration) {
			super(relay ? { ...config, iceTransportPolicy: 'relay' } : config);
			const n = w.__pcs.push(this) - 1;
			this.addEventListener('negotiationneeded', () => trace(`pc${n} negotiationneeded ${this.signalingState}`));
			this.addEventListener('signalingstatechange', () => trace(`pc${n} signaling ${this.signalingState}`));
			this.addEventListener('connectionstatechange', () => trace(`pc${n} connection ${this.connectionState}`));
		}
	} as typeof RTCPeerConnection;
	const NativeSocket = window.WebSocket;
	const brief = (data: unknown) => {
		try {
			const m = JSON.parse(String(data));
			return `${m.t}${m.to ? ` to ${m.to}` : ''}${m.from ? ` from ${m.from}` : ''}${m.sdp ? ` ${m.sdp.type}` : ''}${m.peer ? ` ${m.peer.id}` : ''}${m.id ? ` ${m.id}` : ''}${m.you ? ` you ${m.you} peers ${m.peers.map((p: { id: string }) => p.id)}` : ''}`;
		} catch {
			return 'binary';
		}
	};
	window.WebSocket = class extends NativeSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			if (!String(url).includes('/call/')) return;
			this.addEventListener('message', (e) => trace(`in ${brief(e.data)}`));
			this.addEventListener('close', (e) => trace(`closed ${e.code}`));
			const send = this.send.bind(this);
			this.send = (data) => {
				trace(`out ${brief(data)}`);
				send(data);
			};
		}
	} as typeof WebSocket;
}

/** The pages' own errors (a failed offer, a dropped signal), shown with any failure so it can be read. */
const pageErrors: string[] = [];

async function open(browser: Browser, baseURL: string, device: object, relay: boolean): Promise<Page> {
	const context = await browser.newContext({ ...device, baseURL, permissions: ['microphone', 'camera'] });
	await context.addInitScript(watchConnections, relay);
	const page = await context.newPage();
	page.on('console', (m) => {
		if (m.type() === 'error' && pageErrors.length < 60) pageErrors.push(`${device === DESK ? 'desk' : 'phone'}: ${m.text().slice(0, 300)}`);
	});
	return page;
}

interface Inbound {
	/** Open connections, and per connection the bytes received on each kind and the kind of the local candidate in use. */
	peers: { audio: number; video: number; local: string | null; state: string }[];
	/** The call's notice on the page (e.g. the fall back to sound), if any. */
	notice: string | null;
}

async function inbound(page: Page): Promise<Inbound> {
	return page.evaluate(async () => {
		const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed');
		const peers = [];
		for (const pc of pcs) {
			const stats = await pc.getStats();
			let audio = 0;
			let video = 0;
			let pairLocal: string | null = null;
			const candidates = new Map<string, string>();
			stats.forEach((s) => {
				if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.bytesReceived ?? 0;
				if (s.type === 'inbound-rtp' && s.kind === 'video') video += s.bytesReceived ?? 0;
				if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairLocal = s.localCandidateId;
				if (s.type === 'local-candidate') candidates.set(s.id, s.candidateType);
			});
			peers.push({ audio, video, local: pairLocal ? (candidates.get(pairLocal) ?? null) : null, state: `${pc.connectionState}/${pc.signalingState}` });
		}
		return { peers, notice: document.querySelector('[data-testid="call-notice"]')?.textContent?.trim() || null };
	});
}

/** Waits until a page receives sound and picture from `count` others, every track grown since the previous reading. */
async function receivesFromAll(page: Page, who: string, count: number, relay: boolean) {
	let first: Inbound | null = null;
	await expect
		.poll(
			async () => {
				const now = await inbound(page);
				if (now.peers.length !== count || now.peers.some((p) => p.audio === 0 || p.video === 0)) return `waiting for media: ${JSON.stringify(now)} errors: ${JSON.stringify(pageErrors)}`;
				if (relay && now.peers.some((p) => p.local !== 'relay')) return `not relayed: ${now.peers.map((p) => p.local).join()}`;
				const before: Inbound | null = first;
				first = now;
				if (!before || before.peers.length !== now.peers.length) return 'first reading';
				const grown = now.peers.every((p, i) => p.audio > before.peers[i].audio && p.video > before.peers[i].video);
				return grown ? 'growing' : `not growing since ${JSON.stringify(before.peers)}: ${JSON.stringify(now.peers)}`;
			},
			{ message: `${who} receives audio and video from ${count} others`, timeout: 45_000 }
		)
		.toBe('growing');
}

async function joinWithVideo(page: Page) {
	await expect(page.getByTestId('call-no-recording')).toHaveText(call.call_no_recording);
	await page.getByRole('button', { name: call.call_join }).click();
	const camera = page.getByRole('button', { name: call.call_camera_on });
	await expect(camera).toBeEnabled();
	await camera.click();
	// Generous: the fake camera starts slowly on a loaded machine.
	await expect(page.getByRole('button', { name: call.call_camera_off })).toBeVisible({ timeout: 45_000 });
}

async function holdCall(browser: Browser, baseURL: string, relay: boolean) {
	const mediator = await open(browser, baseURL, DESK, relay);
	await signIn(mediator, 'mediator');
	const path = await demoSessionPath(mediator);
	await mediator.goto(path);

	// The respondent has no account: the mediator makes a personal link on the session page.
	await mediator.getByLabel(call.call_link_party, { exact: true }).selectOption({ label: '钱某' });
	await mediator.getByRole('button', { name: call.call_link_create }).click();
	const link = await mediator.getByTestId('call-link').getAttribute('href');
	expect(link).toMatch(/\/join\/[a-z2-9]{24}$/);

	const respondent = await open(browser, baseURL, PHONE, relay);
	await respondent.goto(new URL(link!).pathname);
	await respondent.getByRole('button', { name: call.call_join_send }).click();
	await expect(respondent.getByText(call.call_join_sent.replace('{tail}', RESPONDENT_PHONE.slice(-4)))).toBeVisible();
	const admin = await open(browser, baseURL, DESK, false);
	await signIn(admin, 'admin');
	const code = await codeFromOutbox(admin, RESPONDENT_PHONE);
	await respondent.getByLabel(call.call_join_code, { exact: true }).fill(code);
	await respondent.getByRole('button', { name: call.call_join_verify }).click();
	await expect(respondent.getByText(call.call_join_ready)).toBeVisible();

	// The remote panelist gets there on his own: his home page lists the case he sits on, with the way
	// into its session.
	const panelist = await open(browser, baseURL, PHONE, relay);
	await signIn(panelist, 'panelist');
	await expect(panelist).toHaveURL('/');
	// Other tests of the run may put him on more panels: the demo case's row.
	const row = panelist.getByRole('region', { name: notices.nt_my_panels }).getByRole('listitem').filter({ hasText: DEMO_MEDIATION_CASE_TITLE });
	await row.getByRole('link', { name: notices.nt_enter_session }).click();
	await expect(panelist).toHaveURL(path);
	// On a phone the record and the call are on one page.
	await expect(panelist.getByRole('heading', { name: call.call_heading })).toBeVisible();

	for (const page of [mediator, panelist, respondent]) await joinWithVideo(page);
	// All three at once: on a loaded machine a sender may fall back to sound as designed, so the
	// pages are read over the same seconds rather than one after another.
	try {
		await Promise.all([
			receivesFromAll(mediator, 'mediator', 2, relay),
			receivesFromAll(panelist, 'panelist', 2, relay),
			receivesFromAll(respondent, 'respondent', 2, relay)
		]);
	} catch (err) {
		for (const [who, page] of [['mediator', mediator], ['panelist', panelist], ['respondent', respondent]] as const) {
			console.log(`--- ${who}\n${(await page.evaluate(() => (window as unknown as { __trace: string[] }).__trace)).join('\n')}`);
		}
		throw err;
	}
	for (const page of [mediator, panelist, respondent]) await expect(page.getByTestId('call-peer')).toHaveCount(3);
	await expect(respondent.getByText(call.call_people.replace('{count}', '3'))).toBeVisible();
	// Leaving ends the person's connections everywhere.
	await respondent.getByRole('button', { name: call.call_leave }).click();
	await expect(mediator.getByTestId('call-peer')).toHaveCount(2);
	for (const page of [mediator, panelist, respondent, admin]) await page.context().close();
}

test('mediator, remote panelist and a party by link hear and see each other beside the live record', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	await holdCall(browser, baseURL!, false);
});

test('the same call relayed through coturn with the app’s time-limited credentials', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	const settings = e2eTurn(Number(new URL(baseURL!).port));
	let turn: TurnServer | null = null;
	try {
		turn = await startTurnServer(settings.port, settings.secret);
		await holdCall(browser, baseURL!, true);
		// coturn saw authenticated allocations (a wrong credential would have been refused with 401 and no media).
		expect(turn.log()).toMatch(/ALLOCATE processed, success/);
	} finally {
		await turn?.stop();
	}
});
