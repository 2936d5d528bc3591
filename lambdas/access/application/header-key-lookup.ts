// Who a header key belongs to, for the gateway's authorizer, which only picks the usage plan a request is throttled
// under. Lookups, found or not, are kept for a minute per container: the authorizer runs for every request.
import { hashApiKey } from '../domain/api-keys.js';
import type { HeaderCaller } from '../domain/caller.js';
import type { SecretStore } from '../../shared/ports.js';
import type { ApiKeyStore, UserStore } from '../ports.js';

export interface HeaderKeyLookupDeps {
  keys: ApiKeyStore;
  users: UserStore;
  secrets: SecretStore;
  pepperSecretId: string;
  now?: () => number;
}

export class HeaderKeyLookup {
  private readonly cache = new Map<string, { caller: HeaderCaller | undefined; expires: number }>();
  private readonly now: () => number;

  constructor(
    private readonly deps: HeaderKeyLookupDeps,
    private readonly options: { ttlMs: number; maxEntries: number } = { ttlMs: 60_000, maxEntries: 10_000 },
  ) {
    this.now = deps.now ?? Date.now;
  }

  async find(key: string): Promise<HeaderCaller | undefined> {
    const hash = hashApiKey(key, await this.deps.secrets.get(this.deps.pepperSecretId));
    const cached = this.cache.get(hash);
    if (cached && cached.expires > this.now()) return cached.caller;
    const record = await this.deps.keys.findByHash(hash);
    const owner = record?.status === 'active' ? await this.deps.users.get(record.ownerId) : undefined;
    const caller: HeaderCaller | undefined = record && {
      ownerId: record.ownerId,
      keyPrefix: record.prefix,
      active: record.status === 'active',
      ...(owner?.apiGatewayKey ? { gatewayKeyValue: owner.apiGatewayKey.value } : {}),
    };
    this.cache.set(hash, { caller, expires: this.now() + this.options.ttlMs });
    if (this.cache.size > this.options.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return caller;
  }
}
