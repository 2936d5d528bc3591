// Account emails through SES (API v2 SendEmail), behind the EmailSender port. Only the recipient's domain is ever
// logged. One signed HTTPS call, not the SDK's SES client: that client's schemas alone weigh 60 KB minified and took
// the email-sending function over the 300 KB bundle budget; SendEmail is all Codex asks of SES.
import { createHash, createHmac } from 'node:crypto';
import type { EmailMessage, EmailSender } from '../../shared/ports.js';

export interface SesEmailSettings {
  /** A verified identity: `Codex <no-reply@example.com>` or a bare address. */
  from: string;
  configurationSet?: string;
  region: string;
  /** The function's credentials (on Lambda: its role's, from the environment). */
  credentials: () => Promise<AwsCredentials>;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** For tests: the time requests are signed at. */
  now?: () => Date;
  /** For tests: waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An answer of SES other than success, with its error type (`MessageRejected`, `TooManyRequestsException`, ...). */
export class SesError extends Error {
  override readonly name = 'SesError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(`${type}: ${message}`);
  }
}

const ATTEMPTS = 3;
const PATH = '/v2/email/outbound-emails';

export class SesEmailSender implements EmailSender {
  constructor(private readonly settings: SesEmailSettings) {}

  async send(message: EmailMessage): Promise<void> {
    const body = JSON.stringify({
      FromEmailAddress: this.settings.from,
      Destination: { ToAddresses: [message.to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
          },
        },
      },
      ...(this.settings.configurationSet ? { ConfigurationSetName: this.settings.configurationSet } : {}),
    });
    // As the SDK's standard retry: throttling, 5xx and network failures are tried again (3 attempts in all).
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.post(body);
      } catch (error) {
        if (attempt >= ATTEMPTS || !retryable(error)) throw error;
        await (this.settings.sleep ?? sleep)(Math.random() * 100 * 2 ** attempt);
      }
    }
  }

  private async post(body: string): Promise<void> {
    const host = `email.${this.settings.region}.amazonaws.com`;
    const headers = signRequest({
      method: 'POST',
      host,
      path: PATH,
      headers: { 'content-type': 'application/json' },
      body,
      region: this.settings.region,
      service: 'ses',
      credentials: await this.settings.credentials(),
      date: (this.settings.now ?? (() => new Date()))(),
    });
    const response = await (this.settings.fetch ?? fetch)(`https://${host}${PATH}`, { method: 'POST', headers, body });
    if (response.ok) {
      await response.arrayBuffer();
      return;
    }
    const text = await response.text();
    let answer: { message?: unknown; Message?: unknown } = {};
    try {
      answer = JSON.parse(text);
    } catch {}
    const type = (response.headers.get('x-amzn-errortype') ?? 'UnknownError').split(':')[0]!;
    const detail = answer.message ?? answer.Message;
    throw new SesError(response.status, type, typeof detail === 'string' ? detail : `SES answered ${response.status}`);
  }
}

function retryable(error: unknown): boolean {
  if (error instanceof SesError) return error.status === 429 || error.status >= 500 || /Throttl|TooManyRequests/.test(error.type);
  return error instanceof TypeError; // fetch's network failures
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SignableRequest {
  method: string;
  host: string;
  path: string;
  /** Names in lower case. */
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: AwsCredentials;
  date: Date;
}

/** AWS Signature Version 4 for a request without query string: the headers to send, Authorization included. */
export function signRequest(request: SignableRequest): Record<string, string> {
  const amzDate = request.date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(request.body);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
    ...(request.credentials.sessionToken ? { 'x-amz-security-token': request.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${request.credentials.secretAccessKey}`, day);
  for (const part of [request.region, request.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
