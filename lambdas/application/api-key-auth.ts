// Finding who is calling from an API key. Records are cached per container for a short time, keyed by hash.
import { hashApiKey } from '../domain/api-keys.js';
import type { ApiKeyRecord, ApiKeyStore, SecretStore } from '../domain/ports.js';

export interface Caller {
  ownerId: string;
  walletId: string;
  keyPrefix: string;
}

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { record: ApiKeyRecord | undefined; expires: number }>();

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly secrets: SecretStore,
    private readonly pepperSecretId: string,
    private readonly cacheTtlMs = 60_000,
  ) {}

  async authenticate(key: string | undefined): Promise<Caller | undefined> {
    // Every key, however it looks, costs one hash and one lookup: no shortcut reveals what a valid key is like.
    const hash = hashApiKey(key ?? '', await this.secrets.get(this.pepperSecretId));
    const cached = this.cache.get(hash);
    let record: ApiKeyRecord | undefined;
    if (cached && cached.expires > Date.now()) {
      record = cached.record;
    } else {
      record = await this.keys.findByHash(hash);
      this.cache.set(hash, { record, expires: Date.now() + this.cacheTtlMs });
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    }
    if (!key || !record || record.status !== 'active') return undefined;
    return { ownerId: record.ownerId, walletId: record.walletId, keyPrefix: record.prefix };
  }
}
