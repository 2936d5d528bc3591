// Secrets Manager behind the SecretStore port, with a per-container cache so a secret costs one call per TTL.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../shared/ports.js';

export class SecretsManagerStore implements SecretStore {
  private readonly cache = new Map<string, { value: Promise<string>; expires: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  get(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expires > Date.now()) return cached.value;
    const value = this.client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      if (out.SecretString === undefined) throw new Error(`Secret ${secretId} has no string value`);
      return out.SecretString;
    });
    value.catch(() => this.cache.delete(secretId));
    this.cache.set(secretId, { value, expires: Date.now() + this.ttlMs });
    return value;
  }
}
