/**
 * Issue 14, video reception (视频接访) on a 360×740 phone in Chinese: a petitioner asks on the public
 * site, the township office schedules (the link goes out by SMS — the development outbox here), the
 * petitioner opens the link, enters the texted code and waits where the call panel mounts, and staff
 * file the matter from the call with channel 视频接访, which the petitioner then tracks with the number
 * and query code texted to them. Before filing, staff and petitioner hold the call in room
 * `reception:<id>` and each receives the other's voice (getStats: inbound audio bytes growing), with
 * Chromium's fake microphone and camera as in call.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, FULL_CHROMIUM } from './chromium';
import { expect, signIn, test, zh } from './fixtures';
import { codeFromOutbox } from './signing-helpers';

const area = (name: string): Record<string, string> => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../messages/${name}/zh-CN.json`), 'utf8'));
const rc = area('reception');
const call = area('call');
const pub = area('public');
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const NAME = '𠮷大娘';
const MOBILE = '13907928801';

test.use({
	launchOptions: {
		executablePath: FULL_CHROMIUM,
		args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']
	}
});

/** Keeps every RTCPeerConnection a page makes where the test can read its statistics. */
function watchConnections() {
	const w = window as unknown as { __pcs: RTCPeerConnection[] };
	w.__pcs = [];
	const Native = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Native {
		constructor(config?: RTCConfiguration) {
			super(config);
			w.__pcs.push(this);
		}
	} as typeof RTCPeerConnection;
}

/** Inbound audio bytes per open connection of a page. */
const inboundAudio = (page: Page) =>
	page.evaluate(async () => {
		const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed');
		const bytes: number[] = [];
		for (const pc of pcs) {
			let audio = 0;
			(await pc.getStats()).forEach((s) => {
				if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.bytesReceived ?? 0;
			});
			bytes.push(audio);
		}
		return bytes;
	});

/** Waits until a page receives sound from exactly one other, its bytes grown between two readings. */
async function hearsTheOther(page: Page, who: string) {
	let before: number | null = null;
	await expect
		.poll(
			async () => {
				const now = await inboundAudio(page);
				if (now.length !== 1 || now[0] === 0) return `waiting for sound: ${JSON.stringify(now)}`;
				const grown = before !== null && now[0] > before;
				before = now[0];
				return grown ? 'growing' : 'first reading';
			},
			{ message: `${who} receives audio`, timeout: 45_000 }
		)
		.toBe('growing');
}

/** The newest text to MOBILE on the development outbox that matches `pattern`, as the administrator reads it. */
async function textFromOutbox(admin: Page, pattern: RegExp): Promise<RegExpExecArray> {
	let found: RegExpExecArray | null = null;
	await expect
		.poll(async () => {
			await admin.goto(`/admin/outbox?phone=${MOBILE}`);
			const texts = await admin.getByRole('listitem').allTextContents();
			found = texts.map((s) => pattern.exec(s)).find(Boolean) ?? null;
			return found != null;
		})
		.toBe(true);
	return found!;
}

test('a petitioner asks for a video reception, waits with the texted code, and tracks the matter filed from the call', async ({ browser }, testInfo) => {
	test.setTimeout(240_000);
	const open = async () => {
		const context = await browser.newContext({ ...PHONE, baseURL: testInfo.project.use.baseURL, permissions: ['microphone', 'camera'] });
		await context.addInitScript(watchConnections);
		return context.newPage();
	};
	const snap = async (page: Page, name: string) => {
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const path = testInfo.outputPath(`${name}-360x740.png`);
		await page.screenshot({ path, fullPage: true });
		await testInfo.attach(`${name} (zh-CN, 360×740)`, { path, contentType: 'image/png' });
	};
	const petitioner = await open();
	const staff = await open();
	const admin = await open();

	// The petitioner asks: a bad phone is refused in Chinese with the form kept, then the request goes in.
	await petitioner.goto('/reception');
	await expect(petitioner.getByText(rc.rc_no_recording).first()).toBeVisible();
	await petitioner.getByLabel(rc.rc_name, { exact: true }).fill(NAME);
	await petitioner.getByLabel(rc.rc_phone, { exact: true }).fill('12345');
	await petitioner.getByLabel(rc.rc_matter, { exact: true }).fill('邻居占了我家宅基地');
	await petitioner.getByLabel(rc.rc_place, { exact: true }).selectOption({ label: '涂埠镇' });
	await petitioner.getByRole('radio').first().check();
	await petitioner.getByRole('button', { name: rc.rc_submit }).click();
	await expect(petitioner.locator('#phone-error')).toHaveText(zh.err_phone_invalid);
	await expect(petitioner.getByLabel(rc.rc_name, { exact: true })).toHaveValue(NAME);
	await petitioner.getByLabel(rc.rc_phone, { exact: true }).fill(MOBILE);
	await petitioner.getByRole('button', { name: rc.rc_submit }).click();
	await expect(petitioner.getByRole('status')).toHaveText(rc.rc_sent.replace('{tail}', MOBILE.slice(-4)));
	await snap(petitioner, 'reception-requested');

	// The township office finds it in its queue and agrees a time an hour from now.
	await signIn(staff, 'tubu.supervisor');
	await staff.goto('/receptions');
	await staff.getByRole('link', { name: NAME }).first().click();
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText(rc.rc_call_title.replace('{name}', NAME));
	const at = new Date(Date.now() + 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
	await staff.getByLabel(rc.rc_schedule_at).fill(at);
	await staff.getByRole('button', { name: rc.rc_schedule_submit }).click();
	await expect(staff.getByRole('status').filter({ hasText: rc.rc_scheduled_texted })).toBeVisible();
	await expect(staff.locator('[data-call-room^="reception:"]')).toBeAttached();

	// The SMS (read on the development outbox) carries the personal link.
	await signIn(admin, 'admin');
	const [, path] = await textFromOutbox(admin, /https?:\/\/[^/\s]+(\/reception\/[a-z2-9]{24})/);

	// The petitioner opens it, has a code texted, enters it and waits where the call will appear.
	await petitioner.goto(path);
	await expect(petitioner.getByTestId('no-recording')).toHaveText(rc.rc_no_recording);
	await petitioner.getByRole('button', { name: rc.rc_code_send }).click();
	await expect(petitioner.getByText(rc.rc_code_sent.replace('{tail}', MOBILE.slice(-4)))).toBeVisible();
	const code = await codeFromOutbox(admin, MOBILE);
	await petitioner.getByLabel(rc.rc_code_label).fill(code);
	await petitioner.getByRole('button', { name: rc.rc_code_submit }).click();
	await expect(petitioner.getByRole('status')).toHaveText(rc.rc_waiting);
	await expect(petitioner.locator('[data-call-room^="reception:"]')).toBeAttached();
	await snap(petitioner, 'reception-waiting');

	// The call: both are told nothing is recorded, both join, and each hears the other.
	// Staff open the page afresh, not reloaded: a reload of a form answer sent without JavaScript would
	// post the schedule again, which replaces the link.
	await staff.goto(new URL(staff.url()).pathname);
	for (const page of [staff, petitioner]) {
		await expect(page.getByTestId('call-no-recording')).toHaveText(call.call_no_recording);
		await page.getByRole('button', { name: call.call_join }).click();
	}
	await Promise.all([hearsTheOther(staff, 'staff'), hearsTheOther(petitioner, 'petitioner')]);
	await expect(petitioner.getByTestId('call-peer')).toHaveCount(2);
	await expect(petitioner.getByText(area('reception2').call_role_staff)).toBeVisible();
	await snap(petitioner, 'reception-in-call');

	// From the call, staff file the matter; the request closes, and with it the petitioner's call.
	await staff.getByLabel(pub.public_file_category).selectOption({ index: 1 });
	await staff.getByLabel(pub.public_file_place).selectOption({ label: '　城南村' });
	await staff.getByLabel(pub.public_file_description).fill('视频接访中陈述：邻居建房占了宅基地约两米。');
	await staff.getByRole('button', { name: rc.rc_file_submit }).click();
	await expect(staff.getByRole('status').filter({ hasText: /已登记为/ })).toBeVisible();
	await snap(staff, 'reception-filed');
	await expect(petitioner.getByText(call.call_closed_forbidden)).toBeVisible();
	await staff.getByRole('link', { name: /已登记为事项/ }).click();
	await expect(staff.getByText(area('caselist').caselist_channel_video).first()).toBeVisible();

	// The petitioner is texted the number and query code, and tracks the matter with them.
	const [, number, queryCode] = await textFromOutbox(admin, /编号 (\d{4}-\d{6})，查询码 ([A-Z0-9]{8})/);
	await petitioner.goto('/track');
	await petitioner.getByLabel(pub.public_track_number, { exact: true }).fill(number);
	await petitioner.getByLabel(pub.public_track_code, { exact: true }).fill(queryCode);
	await petitioner.getByRole('button', { name: pub.public_track_submit }).click();
	await expect(petitioner.getByText(number)).toBeVisible();
	await snap(petitioner, 'reception-tracked');

	// The link has ended with the request: 410 and the page says so.
	const ended = await petitioner.goto(path);
	expect(ended?.status()).toBe(410);
	await expect(petitioner.getByText(rc.rc_err_link_ended)).toBeVisible();
	await petitioner.context().close();
	await staff.context().close();
	await admin.context().close();
});
