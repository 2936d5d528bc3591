// Secrets Manager's GetSecretValue as one HTTPS call signed with SigV4 (the signer the SES adapter uses), as a
// Powertools Parameters provider: its cache and max age are Powertools'; only the call is ours. For functions whose
// bundle has no room for the SDK's Secrets Manager client (13 KB minified): every function that only reads secrets.
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { type AwsCredentials, signRequest } from '../ses/ses-email-sender.js';

export interface SignedSecretsSettings {
  region: string;
  credentials: () => Promise<AwsCredentials>;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  now?: () => Date;
}

export class SignedSecretsProvider extends BaseProvider {
  constructor(private readonly settings: SignedSecretsSettings) {
    super({});
  }

  /** Up to three tries, as the SDK client would: a dropped connection, a 5xx or throttling is tried again. */
  protected async _get(secretId: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetchOnce(secretId, (this.settings.now ?? (() => new Date()))());
      } catch (error) {
        if (!(error instanceof TransientSecretsError) || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    throw new Error('Secrets are read one by one');
  }

  private async fetchOnce(secretId: string, date: Date): Promise<string> {
    const host = `secretsmanager.${this.settings.region}.amazonaws.com`;
    const body = JSON.stringify({ SecretId: secretId });
    const headers = await signRequest({
      method: 'POST',
      host,
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body,
      region: this.settings.region,
      service: 'secretsmanager',
      credentials: await this.settings.credentials(),
      date,
    });
    let response: Response;
    try {
      response = await (this.settings.fetch ?? fetch)(`https://${host}/`, { method: 'POST', headers, body });
    } catch (error) {
      throw new TransientSecretsError(`Secrets Manager could not be reached for ${secretId}: ${(error as Error).message}`);
    }
    const text = await response.text();
    // The error's type only: an answer about a secret never goes into a log.
    if (!response.ok) {
      const type = response.headers.get('x-amzn-errortype') ?? '';
      const message = `Secrets Manager answered ${response.status} (${type}) for ${secretId}`;
      if (response.status >= 500 || response.status === 429 || type.startsWith('ThrottlingException')) throw new TransientSecretsError(message);
      throw new Error(message);
    }
    const answer = JSON.parse(text) as { SecretString?: unknown };
    if (typeof answer.SecretString !== 'string') throw new Error(`Secret ${secretId} has no string value`);
    return answer.SecretString;
  }
}

const ATTEMPTS = 3;

class TransientSecretsError extends Error {}
