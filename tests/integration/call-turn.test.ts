/**
 * TURN credentials for calls (issue 14): the TURN REST API scheme coturn checks in `use-auth-secret`
 * mode. The HMAC is compared with one computed by OpenSSL (`echo -n 1700003600:pabc | openssl dgst
 * -sha1 -hmac pingli-turn-secret-1234 -binary | base64`), so the test does not merely repeat the code;
 * coturn itself accepting them is proven by the relayed call in tests/e2e/call.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { appIceServers } from '../../src/lib/server/start-calls';
import { turnCredentials, turnCredentialValid, turnSettings } from '../../src/lib/server/calls/turn';

const settings = { urls: ['turn:127.0.0.1:3478?transport=udp'], secret: 'pingli-turn-secret-1234', ttlSeconds: 3600 };
const at = new Date(1_700_000_000_000);

describe('TURN credentials', () => {
	it('names the expiry and the peer, with the HMAC-SHA1 of that name under the shared secret', () => {
		const c = turnCredentials(settings, 'pabc', at);
		expect(c.username).toBe('1700003600:pabc');
		expect(c.credential).toBe('haZ7dtxojHzO62IehwEMIesQwWM=');
		expect(c.expiresAt.toISOString()).toBe(new Date(1_700_003_600_000).toISOString());
		expect(c.urls).toEqual(settings.urls);
	});

	it('holds until its expiry and not a second after; another secret or a changed name does not hold', () => {
		const c = turnCredentials(settings, 'pabc', at);
		expect(turnCredentialValid(settings.secret, c.username, c.credential, new Date(at.getTime() + 3599_000))).toBe(true);
		expect(turnCredentialValid(settings.secret, c.username, c.credential, new Date(at.getTime() + 3600_000))).toBe(false);
		expect(turnCredentialValid('another-secret-of-16', c.username, c.credential, at)).toBe(false);
		expect(turnCredentialValid(settings.secret, '1800000000:pabc', c.credential, at)).toBe(false);
	});

	it('keeps a peer label to safe characters', () => {
		expect(turnCredentials(settings, 'p:1 x/ä', at).username).toBe('1700003600:p1x');
	});

	it('is configured only with both URLs and secret; the app then hands out fresh credentials per peer', () => {
		expect(turnSettings({ TURN_URLS: 'turn:a:3478', TURN_SECRET: undefined, TURN_TTL_SECONDS: 60 })).toBeNull();
		expect(turnSettings({ TURN_URLS: 'stun:a:3478', TURN_SECRET: 'x'.repeat(16), TURN_TTL_SECONDS: 60 })).toBeNull();
		expect(turnSettings({ TURN_URLS: 'turn:a:3478, turns:a:5349', TURN_SECRET: 'x'.repeat(16), TURN_TTL_SECONDS: 60 })?.urls).toEqual(['turn:a:3478', 'turns:a:5349']);
		// The test process has no TURN settings: calls are LAN-only and the page says so.
		expect(appIceServers('pabc')).toEqual({ iceServers: [], relayed: false });
	});
});
