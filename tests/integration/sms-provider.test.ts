import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliyunSmsSender } from '../../src/lib/server/sms/aliyun-sms';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { sendSigningCode } from '../../src/lib/server/agreements/send-signing-code';
import { outboxSender, smsSenderFor, unconfiguredSender } from '../../src/lib/server/sms/sms-sender';
import { verifySigningCode } from '../../src/lib/server/agreements/verify-signing-code';
import { caseParties, signingCodes, smsOutbox } from '../../src/lib/server/db/schema';
import { createInvitation } from '../../src/lib/server/agreements/create-invitation';
import { draftAgreement, invite } from './agreement-fixtures';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';

const SECRET = 'test-secret-for-the-stub';
const now = new Date('2026-03-10T02:00:00Z');

/**
 * A local stand-in for Dysmsapi: it recomputes the signature v1.0 of each request from the secret
 * it shares with the test, as the real gateway does, and answers like it (Code OK, or the error the
 * test asks for).
 */
interface Received {
	params: Record<string, string>;
	signatureOk: boolean;
}
/** The gateway's own check, written apart from the sender's code (tests/unit/aliyun-signature.test.ts pins that to the documented example). */
function gatewaySignature(params: Record<string, string>): string {
	const enc = (v: string) => encodeURIComponent(v).replace(/!/g, '%21').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
	const query = Object.entries(params)
		.filter(([k]) => k !== 'Signature')
		.sort(([a], [b]) => (a < b ? -1 : 1))
		.map(([k, v]) => `${enc(k)}=${enc(v)}`)
		.join('&');
	return createHmac('sha1', `${SECRET}&`).update(`POST&%2F&${enc(query)}`).digest('base64');
}
let stub: Server;
let endpoint: string;
const received: Received[] = [];
let answerWith: Record<string, string> = { Code: 'OK', Message: 'OK', BizId: '1', RequestId: 'r' };

async function body(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

let w: PanelWorld;
let token: string;

beforeAll(async () => {
	stub = createServer(async (req, res) => {
		const params = Object.fromEntries(new URLSearchParams(await body(req)));
		const signatureOk = req.method === 'POST' && params.Signature === gatewaySignature(params) && params.SignatureMethod === 'HMAC-SHA1';
		received.push({ params, signatureOk });
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(signatureOk ? answerWith : { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' }));
	});
	await new Promise<void>((done) => stub.listen(0, '127.0.0.1', done));
	endpoint = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
	w = await setUpPanelWorld();
	await w.t.db.update(caseParties).set({ userId: null }).where(eq(caseParties.id, w.partyIds.respondent));
	await draftAgreement(w, now);
	await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now });
	token = await invite(w, w.partyIds.respondent, now);
}, 180_000);
afterAll(async () => {
	await new Promise((done) => stub.close(done));
	await w.t.destroy();
});

const config = (patch: Record<string, string | undefined> = {}) =>
	({
		SMS_OUTBOX: '0',
		ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI-test',
		ALIYUN_SMS_ACCESS_KEY_SECRET: SECRET,
		ALIYUN_SMS_SIGN_NAME: '城南调解',
		ALIYUN_SMS_TEMPLATE_CODE: 'SMS_100001',
		ALIYUN_SMS_LINK_TEMPLATE_CODE: 'SMS_100002',
		ALIYUN_SMS_ENDPOINT: endpoint,
		...patch
	}) as Parameters<typeof smsSenderFor>[0];

describe('choosing the sender', () => {
	it('uses the outbox only behind SMS_OUTBOX=1, the provider when configured, and otherwise none', () => {
		expect(smsSenderFor(config({ SMS_OUTBOX: '1' }))).toBe(outboxSender);
		expect(smsSenderFor(config()).name).toBe('aliyun');
		expect(smsSenderFor(config({ ALIYUN_SMS_ACCESS_KEY_ID: undefined }))).toBe(unconfiguredSender);
		expect(smsSenderFor(config({ ALIYUN_SMS_TEMPLATE_CODE: undefined }))).toBe(unconfiguredSender);
	});
});

describe('Alibaba Cloud SMS', () => {
	it('texts the code through SendSms, signed, with the template and its parameter, and the code works', async () => {
		received.length = 0;
		const { phoneTail } = await sendSigningCode(w.t.db, token, '10.9.0.1', { now, sender: smsSenderFor(config()) });
		expect(phoneTail).toBe('0022');
		expect(received).toHaveLength(1);
		const [{ params, signatureOk }] = received;
		expect(signatureOk).toBe(true);
		expect(params).toMatchObject({
			Action: 'SendSms',
			Version: '2017-05-25',
			AccessKeyId: 'LTAI-test',
			PhoneNumbers: '13907920022',
			SignName: '城南调解',
			TemplateCode: 'SMS_100001',
			SignatureVersion: '1.0',
			Timestamp: '2026-03-10T02:00:00Z'
		});
		const { code } = JSON.parse(params.TemplateParam) as { code: string };
		expect(code).toMatch(/^\d{6}$/);
		// Nothing went to the development outbox, and the texted code is the one that verifies.
		expect(await w.t.db.select().from(smsOutbox).where(eq(smsOutbox.body, params.TemplateParam))).toEqual([]);
		expect((await verifySigningCode(w.t.db, token, code, '10.9.0.1', { now })).grant).toBeTruthy();
	});

	it('a wrong secret is caught by the gateway and reported to the party as not sent', async () => {
		received.length = 0;
		const other = await invite(w, w.partyIds.respondent, now);
		const sender = smsSenderFor(config({ ALIYUN_SMS_ACCESS_KEY_SECRET: 'not-the-secret' }));
		const failure = await sendSigningCode(w.t.db, other, '10.9.0.2', { now, sender }).catch((e) => e);
		expect(received[0].signatureOk).toBe(false);
		expect(failure).toMatchObject({ code: 'unavailable', fields: { _: 'sg_err_sms_failed' } });
	});

	it('a refusal by the provider and an unreachable gateway are reported as not sent', async () => {
		const other = await invite(w, w.partyIds.respondent, now);
		answerWith = { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' };
		expect(await sendSigningCode(w.t.db, other, '10.9.0.3', { now, sender: smsSenderFor(config()) }).catch((e) => e)).toMatchObject({ fields: { _: 'sg_err_sms_failed' } });
		answerWith = { Code: 'OK', Message: 'OK' };
		const down = aliyunSmsSender({ accessKeyId: 'a', accessKeySecret: 'b', signName: 'c', codeTemplate: 'd', endpoint: 'http://127.0.0.1:1', timeoutMs: 2000 });
		expect(await sendSigningCode(w.t.db, other, '10.9.0.3', { now, sender: down }).catch((e) => e)).toMatchObject({ code: 'unavailable', fields: { _: 'sg_err_sms_failed' } });
	});

	it('texts a signing link through the link template after the invitation commits; without one the link is shown only', async () => {
		received.length = 0;
		const sent = await createInvitation(w.t.db, w.viewers.mediator, { caseId: w.caseId, partyId: w.partyIds.respondent }, { origin: 'https://pingli.test', now, sender: smsSenderFor(config()) });
		expect(sent.texted).toBe(true);
		expect(received[0]).toMatchObject({ signatureOk: true, params: { TemplateCode: 'SMS_100002', TemplateParam: JSON.stringify({ link: sent.link }) } });
		const unsent = await createInvitation(w.t.db, w.viewers.mediator, { caseId: w.caseId, partyId: w.partyIds.respondent }, { origin: 'https://pingli.test', now, sender: smsSenderFor(config({ ALIYUN_SMS_LINK_TEMPLATE_CODE: undefined })) });
		expect(unsent.texted).toBe(false);
		expect(received).toHaveLength(1);
	});
});

describe('without a provider', () => {
	it('production without a configured provider refuses to send a code, and stores none', async () => {
		const other = await invite(w, w.partyIds.respondent, now);
		const before = (await w.t.db.select().from(signingCodes)).length;
		const failure = await sendSigningCode(w.t.db, other, '10.9.0.4', { now, sender: smsSenderFor(config({ ALIYUN_SMS_ACCESS_KEY_ID: undefined, ALIYUN_SMS_ACCESS_KEY_SECRET: undefined })) }).catch((e) => e);
		expect(failure).toMatchObject({ code: 'unavailable', fields: { _: 'sg_err_sms_unconfigured' } });
		expect((await w.t.db.select().from(signingCodes)).length).toBe(before);
	});

	it('with the outbox flag off nothing lands in the outbox', async () => {
		const other = await invite(w, w.partyIds.respondent, now);
		const before = (await w.t.db.select().from(smsOutbox)).length;
		await sendSigningCode(w.t.db, other, '10.9.0.5', { now, sender: smsSenderFor(config({ SMS_OUTBOX: '0', ALIYUN_SMS_ACCESS_KEY_ID: undefined })) }).catch(() => undefined);
		expect((await w.t.db.select().from(smsOutbox)).length).toBe(before);
		await sendSigningCode(w.t.db, other, '10.9.0.5', { now, sender: smsSenderFor(config({ SMS_OUTBOX: '1' })) });
		expect((await w.t.db.select().from(smsOutbox)).length).toBe(before + 1);
	});
});
