// Secrets Manager's GetSecretValue as one HTTPS call signed with SigV4 (the signer the SES adapter uses), behind the
// SecretStore port, cached per container like SecretsManagerStore. For functions whose bundle has no room for the
// SDK's Secrets Manager client (13 KB minified): every function that only reads secrets (shared/platform/secrets.ts).
import type { SecretStore } from '../../shared/ports.js';
import { type AwsCredentials, signRequest } from '../ses/ses-email-sender.js';

export interface SignedSecretsSettings {
  region: string;
  credentials: () => Promise<AwsCredentials>;
  ttlMs?: number;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  now?: () => Date;
}

export class SignedSecretsStore implements SecretStore {
  private readonly cache = new Map<string, { value: Promise<string>; expires: number }>();

  constructor(private readonly settings: SignedSecretsSettings) {}

  get(secretId: string): Promise<string> {
    const now = (this.settings.now ?? (() => new Date()))();
    const cached = this.cache.get(secretId);
    if (cached && cached.expires > now.getTime()) return cached.value;
    const value = this.fetchSecret(secretId, now);
    value.catch(() => this.cache.delete(secretId));
    this.cache.set(secretId, { value, expires: now.getTime() + (this.settings.ttlMs ?? 5 * 60_000) });
    return value;
  }

  /** Up to three tries, as the SDK client would: a dropped connection, a 5xx or throttling is tried again. */
  private async fetchSecret(secretId: string, date: Date): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetchOnce(secretId, attempt === 1 ? date : (this.settings.now ?? (() => new Date()))());
      } catch (error) {
        if (!(error instanceof TransientSecretsError) || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
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
