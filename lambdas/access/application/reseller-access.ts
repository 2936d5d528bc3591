// Access checks for every /api/v2 request: who is calling (API key), from where (IP allow-list), how often
// (per-minute limit, daily order quota), and abuse (bursts of bad keys block a source; bursts of bad requests
// suspend a key). Keys are looked up by keyed hash only and never logged.
import { type ApiKeyLimits, DEFAULT_API_KEY_LIMITS, effectiveLimits, hashApiKey } from '../domain/api-keys.js';
import { abuseSourceOf, isIpAllowed } from '../domain/caller-address.js';
import type { AccessCounters, ApiKeyRegistry, StoredApiKey } from '../ports.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { Clock, SecretStore } from '../../shared/ports.js';
import type { Caller } from '../domain/caller.js';

/** Why a request may not proceed. Each API words these its own way (reseller/v2-errors.ts for the v2 protocol). */
export type AccessRefusal = 'invalid_key' | 'key_suspended' | 'ip_not_allowed' | 'rate_limited' | 'source_blocked';

export type ResellerCaller = Caller & { keyId: string; limits: ApiKeyLimits; tier?: string };

export type AccessResult = { ok: true; caller: ResellerCaller } | { ok: false; refusal: AccessRefusal; blockedUntil?: Date };

export type RejectionKind = 'invalid_key' | 'invalid_request';

export interface ResellerAccessOptions {
  /** Limits of keys that name no tier and set none of their own; 120 requests a minute, 10,000 orders a day. */
  defaultLimits?: Partial<ApiKeyLimits>;
  /** Limits per tier name; a key's own limits win over its tier's. */
  tiers?: Readonly<Record<string, Partial<ApiKeyLimits>>>;
  /** The tiers in force now (settings overriding `tiers`, cached by the reader); `tiers` when absent or unreadable. */
  currentTiers?: () => Promise<Readonly<Record<string, Partial<ApiKeyLimits>>>>;
  /** Invalid keys from one source within one minute that block it (20). */
  invalidKeysBeforeBlock?: number;
  /** How long a source stays blocked (15 minutes). */
  blockMinutes?: number;
  /** Invalid requests with one key within one minute that suspend the key (60). */
  invalidRequestsBeforeSuspension?: number;
  /** How long a key lookup, found or not, is reused in this container (60 s). */
  keyCacheMs?: number;
  /** How long a source's block state, or a key found suspended, is reused in this container (10 s): lifting one takes effect that fast. */
  blockCacheMs?: number;
  /** lastUsedAt is written at most this often per key (60 s). */
  lastUsedEveryMs?: number;
}

export interface ResellerAccessDeps {
  keys: ApiKeyRegistry;
  counters: AccessCounters;
  secrets: SecretStore;
  pepperSecretId: string;
  clock?: Clock;
  /** ApiKeyBlocks: requests refused because their key is suspended or over its rate limit or daily order quota. */
  metrics: MetricsRecorder;
}

const MAX_CACHED = 10_000;

export class ResellerAccess {
  private readonly keyCache = new Map<string, { record: StoredApiKey | undefined; expires: number }>();
  private readonly blockCache = new Map<string, { blockedUntil: number; expires: number }>();
  private readonly lastTouched = new Map<string, number>();
  private readonly leases = new Map<string, { window: string; left: number; exhausted: boolean }>();
  private readonly leasing = new Map<string, Promise<void>>();
  private readonly settings: Required<Omit<ResellerAccessOptions, 'defaultLimits' | 'tiers' | 'currentTiers'>> & { defaultLimits: ApiKeyLimits };
  private readonly clock: Clock;

  constructor(
    private readonly deps: ResellerAccessDeps,
    private readonly options: ResellerAccessOptions = {},
  ) {
    this.clock = deps.clock ?? { now: () => new Date() };
    this.settings = {
      defaultLimits: { ...DEFAULT_API_KEY_LIMITS, ...options.defaultLimits },
      invalidKeysBeforeBlock: options.invalidKeysBeforeBlock ?? 20,
      blockMinutes: options.blockMinutes ?? 15,
      invalidRequestsBeforeSuspension: options.invalidRequestsBeforeSuspension ?? 60,
      keyCacheMs: options.keyCacheMs ?? 60_000,
      blockCacheMs: options.blockCacheMs ?? 10_000,
      lastUsedEveryMs: options.lastUsedEveryMs ?? 60_000,
    };
  }

  /**
   * Decides whether a request may proceed. On 'invalid_key' the caller should report it through
   * recordRejectedRequest (kind 'invalid_key'), which is what blocks a source that guesses keys.
   */
  async check(input: { key: string | undefined; sourceIp: string; now?: Date }): Promise<AccessResult> {
    const now = input.now ?? this.clock.now();
    const blockedUntil = await this.blockedUntil(abuseSourceOf(input.sourceIp), now);
    if (blockedUntil) return { ok: false, refusal: 'source_blocked', blockedUntil };

    // Every key, however it looks, costs one hash and one (cached) lookup: no shortcut tells a guesser anything.
    const record = await this.lookup(input.key ?? '', now);
    if (!input.key || !record || record.status === 'revoked') return refuse('invalid_key');
    if (record.status === 'suspended') return this.blocked('key_suspended');
    if (record.status !== 'active') return refuse('invalid_key');
    if (!isIpAllowed(record.allowedIps, input.sourceIp)) return refuse('ip_not_allowed');

    const caller = this.callerOf(record, await this.tiers());
    const [allowed] = await Promise.all([this.allowRequest(record.keyId, caller.limits.requestsPerMinute, epochMinute(now)), this.touch(record, now)]);
    if (!allowed) return this.blocked('rate_limited');
    return { ok: true, caller };
  }

  private blocked(refusal: 'key_suspended' | 'rate_limited'): AccessResult {
    this.deps.metrics.record('ApiKeyBlocks', 1, {});
    return refuse(refusal);
  }

  /**
   * The per-minute limit without a write per request: this container leases a slice of the key's minute from the
   * shared counter (a tenth of the limit, at most 10 requests) and spends it locally. Across containers the limit
   * holds to within one unspent slice each, and an idle container's slice simply expires with the minute.
   */
  private allowRequest(keyId: string, limit: number, minute: number): Promise<boolean> {
    return this.takeFromLease(`rate#${keyId}`, String(minute), limit, (slice) => this.deps.counters.countRequest(keyId, minute, slice));
  }

  /**
   * Takes one unit from this container's lease of a shared counter window, leasing a new slice (a tenth of the
   * limit, at most 10) when the lease is spent. False once the window's limit is reached.
   */
  private async takeFromLease(leaseKey: string, window: string, limit: number, countSlice: (slice: number) => Promise<number>): Promise<boolean> {
    for (;;) {
      const lease = this.leases.get(leaseKey);
      if (lease && lease.window === window && lease.left > 0) {
        lease.left--;
        return true;
      }
      if (lease && lease.window === window && lease.exhausted) return false;
      // One lease at a time per counter: concurrent requests wait for it rather than each leasing a slice.
      const pending = this.leasing.get(leaseKey);
      if (pending) {
        await pending;
        continue;
      }
      const slice = Math.max(1, Math.min(10, Math.floor(limit / 10)));
      const leasing = countSlice(slice).then((total) => {
        const granted = Math.max(0, Math.min(slice, limit - (total - slice)));
        remember(this.leases, leaseKey, { window, left: granted, exhausted: granted === 0 });
      });
      this.leasing.set(leaseKey, leasing);
      try {
        await leasing;
      } finally {
        this.leasing.delete(leaseKey);
      }
    }
  }

  /**
   * Counts a refused request. Bursts of invalid keys from one source block it; bursts of invalid requests
   * with one key suspend the key (audited as actor 'system').
   */
  async recordRejectedRequest(input: {
    caller?: Caller & { keyId: string };
    sourceIp: string;
    kind: RejectionKind;
    now?: Date;
  }): Promise<'counted' | 'source_blocked' | 'key_suspended'> {
    const now = input.now ?? this.clock.now();
    const minute = epochMinute(now);
    if (input.kind === 'invalid_key') {
      const source = abuseSourceOf(input.sourceIp);
      const count = await this.deps.counters.countInvalidKey(source, minute);
      if (count < this.settings.invalidKeysBeforeBlock) return 'counted';
      const until = new Date(now.getTime() + this.settings.blockMinutes * 60_000);
      await this.deps.counters.blockSource(source, until, `${count} invalid API keys within a minute`);
      remember(this.blockCache, source, { blockedUntil: until.getTime(), expires: now.getTime() + this.settings.blockCacheMs });
      return 'source_blocked';
    }
    if (!input.caller) return 'counted';
    const { keyId, ownerId } = input.caller;
    const count = await this.deps.counters.countInvalidRequest(keyId, minute);
    if (count < this.settings.invalidRequestsBeforeSuspension) return 'counted';
    const at = now.toISOString();
    const reason = `${count} invalid requests within a minute`;
    const result = await this.deps.keys.changeKey(ownerId, keyId, { status: 'suspended', statusReason: reason, at }, ['active'], {
      actor: 'system',
      action: 'api_key.suspended',
      subject: keyId,
      ownerId,
      reason,
      at,
    });
    for (const entry of this.keyCache.values()) {
      if (entry.record?.keyId !== keyId) continue;
      entry.record = { ...entry.record, status: 'suspended' };
      entry.expires = Math.min(entry.expires, now.getTime() + this.settings.blockCacheMs);
    }
    return result.outcome === 'changed' ? 'key_suspended' : 'counted';
  }

  /**
   * Counts one order against the key's daily quota (UTC days); false, and nothing counted, once the quota is used
   * up. Counted per order in DynamoDB (not leased like the per-minute limit: a slice left in a container that stops
   * serving the key would be lost for the rest of the day). Give it back with returnDailyOrder when no order results.
   */
  async consumeDailyOrderQuota(caller: Caller & { keyId: string; limits?: ApiKeyLimits }, now: Date = this.clock.now()): Promise<boolean> {
    const quota = (caller.limits ?? this.settings.defaultLimits).dailyOrderQuota;
    const day = now.toISOString().slice(0, 10);
    if ((await this.deps.counters.countOrder(caller.keyId, day)) <= quota) return true;
    await this.deps.counters.countOrder(caller.keyId, day, -1);
    this.deps.metrics.record('ApiKeyBlocks', 1, {});
    return false;
  }

  /** Gives back what consumeDailyOrderQuota counted for an order that was not placed after all. */
  async returnDailyOrder(caller: Caller & { keyId: string }, now: Date = this.clock.now()): Promise<void> {
    await this.deps.counters.countOrder(caller.keyId, now.toISOString().slice(0, 10), -1);
  }

  /** Drops this container's cached copy of a key that was just changed (revoked, suspended, new allow-list). */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.keyCache) if (entry.record?.keyId === keyId) this.keyCache.delete(hash);
  }

  private async lookup(key: string, now: Date): Promise<StoredApiKey | undefined> {
    const hash = hashApiKey(key, await this.deps.secrets.get(this.deps.pepperSecretId));
    const cached = this.keyCache.get(hash);
    if (cached && cached.expires > now.getTime()) return cached.record;
    const record = await this.deps.keys.findKey(hash);
    // A suspension is read again soon, so a reactivated key works again within seconds.
    const keepMs = record?.status === 'suspended' ? this.settings.blockCacheMs : this.settings.keyCacheMs;
    remember(this.keyCache, hash, { record, expires: now.getTime() + keepMs });
    return record;
  }

  /** When the source's block ends, or undefined when it is not blocked. A block is re-read like a clear state, so a lifted one ends soon. */
  private async blockedUntil(source: string, now: Date): Promise<Date | undefined> {
    let cached = this.blockCache.get(source);
    if (!cached || cached.expires <= now.getTime()) {
      const until = (await this.deps.counters.sourceBlockedUntil(source))?.getTime() ?? 0;
      cached = { blockedUntil: until > now.getTime() ? until : 0, expires: now.getTime() + this.settings.blockCacheMs };
      remember(this.blockCache, source, cached);
    }
    return cached.blockedUntil > now.getTime() ? new Date(cached.blockedUntil) : undefined;
  }

  /** lastUsedAt moves at most once per interval: skipped in this container, and conditioned across containers. */
  private async touch(record: StoredApiKey, now: Date): Promise<void> {
    const last = this.lastTouched.get(record.keyId);
    if (last !== undefined && now.getTime() - last < this.settings.lastUsedEveryMs) return;
    remember(this.lastTouched, record.keyId, now.getTime());
    try {
      await this.deps.keys.touchKey(record.ownerId, record.keyId, now.toISOString(), new Date(now.getTime() - this.settings.lastUsedEveryMs).toISOString());
    } catch {
      // Bookkeeping only: a failed write must not refuse the request; the next interval tries again.
      this.lastTouched.delete(record.keyId);
    }
  }

  private async tiers(): Promise<Readonly<Record<string, Partial<ApiKeyLimits>>> | undefined> {
    if (!this.options.currentTiers) return this.options.tiers;
    try {
      return await this.options.currentTiers();
    } catch {
      return this.options.tiers;
    }
  }

  private callerOf(record: StoredApiKey, tiers: Readonly<Record<string, Partial<ApiKeyLimits>>> | undefined): ResellerCaller {
    const tier = record.tier ? tiers?.[record.tier] : undefined;
    return {
      ownerId: record.ownerId,
      walletId: record.walletId,
      keyPrefix: record.prefix,
      keyId: record.keyId,
      limits: effectiveLimits(this.settings.defaultLimits, tier, record.limits),
      ...(record.tier ? { tier: record.tier } : {}),
    };
  }
}

const refuse = (refusal: AccessRefusal): AccessResult => ({ ok: false, refusal });

const epochMinute = (now: Date): number => Math.floor(now.getTime() / 60_000);

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
}
