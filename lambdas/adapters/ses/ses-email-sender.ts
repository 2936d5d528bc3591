// Account emails through SES (API v2 SendEmail), behind the EmailSender port. Only the recipient's domain is ever
// logged. One HTTPS call signed by the SDK's own SigV4 signer, not the SDK's SES client: that client's schemas alone
// weigh 60 KB minified and took the email-sending function over the 300 KB bundle budget; SendEmail is all Codex asks
// of SES. (The notifications issue moves sending behind a queue, into a function with room for the full client.)
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
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
    const headers = await signRequest({
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

/** AWS Signature Version 4 (the SDK's signer) for a request without query string: the headers to send, Authorization included. */
export async function signRequest(request: SignableRequest): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: request.service, region: request.region, credentials: request.credentials, sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'https:',
      hostname: request.host,
      path: request.path,
      query: {},
      headers: { ...request.headers, host: request.host },
      body: request.body,
    },
    { signingDate: request.date },
  );
  // fetch sets Host itself.
  const { host: _host, ...sent } = signed.headers;
  return sent;
}

/** SHA-256 and HMAC-SHA256 from node:crypto in the shape the signer asks for. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error('not used by the signer');
  }
}
