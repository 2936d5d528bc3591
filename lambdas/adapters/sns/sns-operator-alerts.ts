// Operator alerts through the operators' SNS topic (OperatorAlerts): whoever is subscribed (email, a chat's or a
// Telegram bot's HTTPS webhook) gets the subject and the text. One Publish call (SNS's query API) signed by the
// SDK's own SigV4 signer rather than the SDK's SNS client: that client and its XML protocol weigh about 34 KB
// minified and took the alertOperators bundle past the 300 KB budget, for the one call Codex makes.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { OperatorAlert, OperatorAlerts } from '../../shared/ports.js';

/** SNS refuses an email subject over 100 characters, with a line break, or outside printable ASCII. */
const MAX_SUBJECT = 100;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SnsSettings {
  topicArn: string;
  region: string;
  /** The function's credentials (on Lambda: its role's, from the environment). */
  credentials: () => Promise<AwsCredentials>;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** For tests: the time requests are signed at. */
  now?: () => Date;
}

/** SNS's answer other than success, with its error code (`AuthorizationError`, `NotFound`, `Throttling`, ...). */
export class SnsError extends Error {
  override readonly name = 'SnsError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`SNS answered ${status} ${code}`);
  }
}

export class SnsOperatorAlerts implements OperatorAlerts {
  constructor(private readonly settings: SnsSettings) {}

  async send(alert: OperatorAlert): Promise<void> {
    const oneLine = alert.subject.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
    const subject = oneLine.length > MAX_SUBJECT ? `${oneLine.slice(0, MAX_SUBJECT - 3)}...` : oneLine;
    const body = new URLSearchParams({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: this.settings.topicArn,
      Subject: subject,
      Message: alert.text,
    }).toString();
    const host = `sns.${this.settings.region}.amazonaws.com`;
    const signer = new SignatureV4({ service: 'sns', region: this.settings.region, credentials: await this.settings.credentials(), sha256: NodeSha256 });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: host,
        path: '/',
        query: {},
        headers: { host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      },
      { signingDate: (this.settings.now ?? (() => new Date()))() },
    );
    // fetch sets Host itself.
    const { host: _host, ...headers } = signed.headers;
    const response = await (this.settings.fetch ?? fetch)(`https://${host}/`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) throw new SnsError(response.status, /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? 'UnknownError');
  }
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
