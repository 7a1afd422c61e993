import { describe, expect, it } from 'vitest';
import { percentEncode, rpcSignature } from '../../src/lib/server/sms/aliyun-sms';

describe('Alibaba Cloud RPC signature v1.0', () => {
	it('matches the worked example of the documentation (DescribeRegions, secret "testsecret")', () => {
		const params = {
			AccessKeyId: 'testid',
			Action: 'DescribeRegions',
			Format: 'XML',
			SignatureMethod: 'HMAC-SHA1',
			SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
			SignatureVersion: '1.0',
			Timestamp: '2016-02-23T12:46:24Z',
			Version: '2014-05-26'
		};
		expect(rpcSignature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
	});

	it('percent-encodes as RFC 3986: spaces as %20, * ! ( ) encoded, ~ kept, UTF-8 for Chinese', () => {
		expect(percentEncode("a b*c~d!e'(f)")).toBe('a%20b%2Ac~d%21e%27%28f%29');
		expect(percentEncode('城南')).toBe('%E5%9F%8E%E5%8D%97');
		expect(percentEncode('{"code":"123456"}')).toBe('%7B%22code%22%3A%22123456%22%7D');
	});
});
