import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { type AwsCredentials, SesEmailSender, type SesEmailSettings, signRequest } from '../../../lambdas/adapters/ses/ses-email-sender.js';

const credentials: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'token/with+chars',
};
const at = new Date('2026-12-01T10:20:30.456Z');

interface Sent {
  url: string;
  init: RequestInit;
}

function sender(settings: Partial<SesEmailSettings>, answers: (Response | Error)[] = [new Response('{"MessageId":"m1"}', { status: 200 })]) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const answer = answers.shift() ?? new Response('{}', { status: 200 });
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof globalThis.fetch;
  const ses = new SesEmailSender({
    from: 'no-reply@example.com',
    region: 'eu-west-1',
    credentials: async () => credentials,
    fetch,
    now: () => at,
    sleep: async () => {},
    ...settings,
  });
  return { ses, sent };
}

const sentBody = (s: Sent) => JSON.parse(String(s.init.body));

describe('SesEmailSender', () => {
  it('sends a plain-text email from the configured address, through the configuration set', async () => {
    const { ses, sent } = sender({ from: 'Codex <no-reply@example.com>', configurationSet: 'codex' });
    await ses.send({ to: 'ann@example.com', subject: 'Hello', text: 'Token: abc' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails');
    expect(sent[0]!.init.method).toBe('POST');
    expect(sentBody(sent[0]!)).toEqual({
      FromEmailAddress: 'Codex <no-reply@example.com>',
      Destination: { ToAddresses: ['ann@example.com'] },
      Content: { Simple: { Subject: { Data: 'Hello', Charset: 'UTF-8' }, Body: { Text: { Data: 'Token: abc', Charset: 'UTF-8' } } } },
      ConfigurationSetName: 'codex',
    });
  });

  it('adds the HTML part when there is one, and no configuration set when none is configured', async () => {
    const { ses, sent } = sender({});
    await ses.send({ to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' });
    const body = sentBody(sent[0]!);
    expect(body.Content.Simple.Body.Html).toEqual({ Data: '<p>t</p>', Charset: 'UTF-8' });
    expect(body).not.toHaveProperty('ConfigurationSetName');
  });

  it("signs the request as the AWS SDK's SigV4 signer does, with the role's session token", async () => {
    const { ses, sent } = sender({});
    await ses.send({ to: 'ann@example.com', subject: 'Straße ✓', text: 'Token: abc' });
    const headers = sent[0]!.init.headers as Record<string, string>;
    const sdk = await new SignatureV4({ credentials, region: 'eu-west-1', service: 'ses', sha256: NodeSha256 }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'email.eu-west-1.amazonaws.com',
        path: '/v2/email/outbound-emails',
        headers: { host: 'email.eu-west-1.amazonaws.com', 'content-type': 'application/json' },
        body: String(sent[0]!.init.body),
      },
      { signingDate: at },
    );
    expect(headers.authorization).toBe(sdk.headers.authorization);
    expect(headers).toMatchObject({ 'x-amz-date': '20261201T102030Z', 'x-amz-security-token': 'token/with+chars', 'content-type': 'application/json' });
    expect(headers).not.toHaveProperty('host');
  });

  it('signs without a session token when the credentials have none', async () => {
    const headers = await signRequest({
      method: 'POST',
      host: 'email.us-east-1.amazonaws.com',
      path: '/v2/email/outbound-emails',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      region: 'us-east-1',
      service: 'ses',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      date: at,
    });
    expect(headers).not.toHaveProperty('x-amz-security-token');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20261201\/us-east-1\/ses\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('lets a refusal of SES reach the caller at once, with its type and message', async () => {
    const rejected = new Response(JSON.stringify({ message: 'Email address is not verified.' }), {
      status: 400,
      headers: { 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/' },
    });
    const { ses, sent } = sender({}, [rejected]);
    await expect(ses.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toThrow('MessageRejected: Email address is not verified.');
    expect(sent).toHaveLength(1);
  });

  it('tries again when SES throttles, fails or cannot be reached, three attempts in all', async () => {
    const throttled = () =>
      new Response('{"message":"Maximum sending rate exceeded."}', { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' } });
    const retried = sender({}, [throttled(), new TypeError('fetch failed'), new Response('{}', { status: 200 })]);
    await retried.ses.send({ to: 'a@example.com', subject: 's', text: 't' });
    expect(retried.sent).toHaveLength(3);

    const down = sender({}, [new Response('', { status: 503 }), new Response('', { status: 500 }), new Response('', { status: 503 })]);
    await expect(down.ses.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toThrow('UnknownError: SES answered 503');
    expect(down.sent).toHaveLength(3);
  });
});

/** node:crypto in the shape the SDK signer takes. */
type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Source) =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

class NodeSha256 {
  private hash;
  constructor(secret?: Source) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: Source): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}
