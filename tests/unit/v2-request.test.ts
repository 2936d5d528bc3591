import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { V2RequestTooLarge, V2RequestUnreadable, actionOf, readV2Params } from '../../lambdas/reseller/v2-request.js';

function event(body: string | null, headers: Record<string, string> = {}, query: Record<string, string> | null = null, base64 = false): APIGatewayProxyEvent {
  return { body, headers, queryStringParameters: query, isBase64Encoded: base64 } as unknown as APIGatewayProxyEvent;
}

describe('reading v2 requests', () => {
  it('reads form fields, the way most panels post', async () => {
    const params = await readV2Params(
      event('key=k1&action=add&service=1&link=https%3A%2F%2Fx.com%2Fa%3Fb%3D1&quantity=100', { 'Content-Type': 'application/x-www-form-urlencoded' }),
      65536,
    );
    expect(params).toEqual({ key: 'k1', action: 'add', service: '1', link: 'https://x.com/a?b=1', quantity: '100' });
  });

  it('reads JSON bodies with numbers, and turns comment arrays into lines', async () => {
    const params = await readV2Params(
      event(JSON.stringify({ key: 'k', action: 'add', service: 7, quantity: 10, comments: ['a', 'b'] }), { 'content-type': 'application/json' }),
      65536,
    );
    expect(params).toMatchObject({ service: '7', quantity: '10', comments: 'a\nb' });
  });

  it('reads multipart form data', async () => {
    const boundary = '----codex';
    const body = `${['key', 'action', 'order']
      .map((name, i) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${['k9', 'status', '123'][i]}\r\n`)
      .join('')}--${boundary}--\r\n`;
    const params = await readV2Params(event(body, { 'Content-Type': `multipart/form-data; boundary=${boundary}` }), 65536);
    expect(params).toEqual({ key: 'k9', action: 'status', order: '123' });
  });

  it('ignores uploaded files in multipart data, and refuses a body without a boundary or that does not parse', async () => {
    const boundary = 'b0undary';
    const withFile = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk1\r\n--${boundary}\r\nContent-Disposition: form-data; name="link"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhttps://x.com/a\r\n--${boundary}--\r\n`;
    expect(await readV2Params(event(withFile, { 'content-type': `multipart/form-data; boundary=${boundary}` }), 65536)).toEqual({ key: 'k1' });
    await expect(readV2Params(event('key=k1', { 'content-type': 'multipart/form-data' }), 65536)).rejects.toThrow('Multipart request without a boundary');
    await expect(readV2Params(event('garbage', { 'content-type': `multipart/form-data; boundary=${boundary}` }), 65536)).rejects.toThrow(
      'Multipart request body is malformed',
    );
  });

  it("reads multipart bodies as lenient clients write them: .NET's unquoted names, a preamble, text after the end, folded headers", async () => {
    const type = 'multipart/form-data; boundary="7e2a"';
    const dotnet =
      '--7e2a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name=key\r\n\r\nk1\r\n--7e2a\r\nContent-Disposition: form-data; name=action\r\n\r\nbalance\r\n--7e2a--\r\n';
    expect(await readV2Params(event(dotnet, { 'content-type': type }), 65536)).toEqual({ key: 'k1', action: 'balance' });
    const untidy =
      'preamble\r\n--7e2a\r\nContent-Disposition: form-data;\r\n name="comments"\r\n\r\nline one\nline two\r\n--7e2a\r\nX-Other: 1\r\n\r\nno disposition\r\n--7e2a-- \nepilogue\n';
    expect(await readV2Params(event(untidy, { 'content-type': type }), 65536)).toEqual({ comments: 'line one\nline two' });
  });

  it('reads base64-encoded bodies as API Gateway delivers binary payloads', async () => {
    const params = await readV2Params(event(Buffer.from('key=k&action=balance').toString('base64'), {}, null, true), 65536);
    expect(params).toEqual({ key: 'k', action: 'balance' });
  });

  it('takes query-string fields, with body fields winning', async () => {
    expect(await readV2Params(event('action=balance', {}, { key: 'q', action: 'services' }), 65536)).toEqual({ key: 'q', action: 'balance' });
  });

  it('takes the key from X-Api-Key or Authorization: Bearer when the body has none', async () => {
    expect((await readV2Params(event('action=balance', { 'X-Api-Key': 'hk' }), 65536)).key).toBe('hk');
    expect((await readV2Params(event('action=balance', { authorization: 'Bearer bk' }), 65536)).key).toBe('bk');
    expect((await readV2Params(event('key=body&action=balance', { 'x-api-key': 'hk' }), 65536)).key).toBe('body');
  });

  it('refuses oversized and unreadable bodies', async () => {
    await expect(readV2Params(event('x'.repeat(2000)), 1024)).rejects.toBeInstanceOf(V2RequestTooLarge);
    await expect(readV2Params(event('{"key": ', { 'content-type': 'application/json' }), 1024)).rejects.toBeInstanceOf(V2RequestUnreadable);
    await expect(readV2Params(event('[1,2]', { 'content-type': 'application/json' }), 1024)).rejects.toBeInstanceOf(V2RequestUnreadable);
  });
});

describe('field names that are also Object.prototype names', () => {
  const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
  const values = ['a', 'b', 'c', 'd'];
  // Entries, not an object literal: in a literal `__proto__: 'a'` would not be a field.
  const expected = [['key', 'k'], ['action', 'status'], ...hostile.map((name, i) => [name, values[i]])];

  /** Plain fields, with no prototype that a name could reach or replace. */
  function expectPlain(params: Record<string, string>) {
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(Object.entries(params)).toEqual(expected);
  }

  it('are plain fields in form bodies', async () => {
    const body = ['key=k', 'action=status', ...hostile.map((name, i) => `${name}=${values[i]}`)].join('&');
    expectPlain(await readV2Params(event(body), 65536));
  });

  it('are plain fields in JSON bodies', async () => {
    const body = `{"key":"k","action":"status",${hostile.map((name, i) => `"${name}":"${values[i]}"`).join(',')}}`;
    expectPlain(await readV2Params(event(body, { 'content-type': 'application/json' }), 65536));
  });

  it('are plain fields in multipart bodies and query strings', async () => {
    const boundary = 'b0';
    const fields: [string, string][] = [['key', 'k'], ['action', 'status'], ...hostile.map((name, i): [string, string] => [name, values[i]!])];
    const body = `${fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('')}--${boundary}--\r\n`;
    expectPlain(await readV2Params(event(body, { 'content-type': `multipart/form-data; boundary=${boundary}` }), 65536));
    expectPlain(await readV2Params(event(null, {}, Object.fromEntries(fields)), 65536));
  });

  it('cannot stand in for fields that were not sent', async () => {
    const params = await readV2Params(event('key=k'), 65536);
    expect(params.constructor).toBeUndefined();
    expect(params.toString).toBeUndefined();
    expect(actionOf(params)).toBeUndefined();
  });
});

describe('inferring the action of the PHP client refill helpers', () => {
  it('understands requests that carry only the fields of the call', () => {
    expect(actionOf({ key: 'k', order: '1' })).toBe('refill');
    expect(actionOf({ key: 'k', orders: '1,2' })).toBe('refill');
    expect(actionOf({ key: 'k', refill: '5' })).toBe('refill_status');
    expect(actionOf({ key: 'k', refills: '5,6' })).toBe('refill_status');
  });

  it('always prefers an explicit action', () => {
    expect(actionOf({ key: 'k', action: 'Status', order: '1' })).toBe('status');
    expect(actionOf({ key: 'k' })).toBeUndefined();
  });
});
