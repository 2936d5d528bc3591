// Reseller accounts, API keys, rate windows and abuse blocks: what the access checks read and write.
import type { UsageKeyView } from './domain/usage-key.js';
import type { ApiKeyLimits, ApiKeyStatus } from './domain/api-keys.js';
import type { AuditEntry } from '../audit/domain/audit-entry.js';

export interface ApiKeyRecord {
  keyHash: string;
  prefix: string;
  ownerId: string;
  walletId: string;
  status: 'active' | 'revoked';
  label?: string;
  createdAt: string;
}

export interface ApiKeyStore {
  put(record: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
}

/** A managed key as its owner sees it: never the key, never its hash. */
export interface ApiKeyDetails {
  keyId: string;
  /** The first characters of the key, to recognise it in a list. */
  prefix: string;
  ownerId: string;
  walletId: string;
  status: ApiKeyStatus;
  label?: string;
  createdAt: string;
  updatedAt?: string;
  lastUsedAt?: string;
  /** Canonical addresses and CIDR ranges; absent means any address. */
  allowedIps?: string[];
  /** Overrides of the tier's or default limits. */
  limits?: Partial<ApiKeyLimits>;
  tier?: string;
  /** Why the key was suspended or revoked. */
  statusReason?: string;
}

export interface StoredApiKey extends ApiKeyDetails {
  keyHash: string;
}

export interface ApiKeyChange {
  status?: ApiKeyStatus;
  statusReason?: string;
  /** An empty list removes the allow-list. */
  allowedIps?: string[];
  /** An empty label removes it. */
  label?: string;
  /** Replaces the key's own limits; an empty object removes them (the tier's apply). */
  limits?: Partial<ApiKeyLimits>;
  tier?: string;
  at: string;
}

/** Key changes are audited like every admin action (audit/domain/audit-entry.ts). */
export type { AuditEntry } from '../audit/domain/audit-entry.js';

export type ApiKeyChangeOutcome = { outcome: 'changed'; key: ApiKeyDetails } | { outcome: 'not_found' } | { outcome: 'status_mismatch'; status: ApiKeyStatus };

/** Managed API keys: a lookup by hash for every request, and a listing per owner. Both change together. */
export interface ApiKeyRegistry {
  /** Registers a key (and writes the audit entry) atomically; 'exists' when its hash is already registered. */
  create(key: StoredApiKey, audit?: AuditEntry): Promise<'created' | 'exists'>;
  findKey(keyHash: string): Promise<StoredApiKey | undefined>;
  listKeys(ownerId: string): Promise<ApiKeyDetails[]>;
  getKey(ownerId: string, keyId: string): Promise<ApiKeyDetails | undefined>;
  /** Applies the change (and writes the audit entry) atomically, only while the key's status is one of `fromStatuses`. */
  changeKey(ownerId: string, keyId: string, change: ApiKeyChange, fromStatuses: readonly ApiKeyStatus[], audit?: AuditEntry): Promise<ApiKeyChangeOutcome>;
  /** Records a use at `at` unless one after `unlessAfter` is already recorded. */
  touchKey(ownerId: string, keyId: string, at: string, unlessAfter: string): Promise<void>;
}

/** Fixed-window counters and blocks behind reseller access checks. Each count adds one and returns the new total. */
export interface AccessCounters {
  /** Adds `by` (default 1) to the key's requests in that minute and returns the new total. */
  countRequest(keyId: string, epochMinute: number, by?: number): Promise<number>;
  /** Adds `by` (default 1) to the key's orders that day and returns the new total. */
  countOrder(keyId: string, day: string, by?: number): Promise<number>;
  countInvalidKey(source: string, epochMinute: number): Promise<number>;
  countInvalidRequest(keyId: string, epochMinute: number): Promise<number>;
  blockSource(source: string, until: Date, reason: string): Promise<void>;
  /** When the source's block ends, if it has one (possibly already over). */
  sourceBlockedUntil(source: string): Promise<Date | undefined>;
}

export interface UserRecord {
  id: string;
  email: string;
  role: 'customer' | 'reseller' | 'admin';
  walletId: string;
  createdAt: string;
  /** The reseller's tier (onboarding, pricing): its keys' limits and the usage plan its gateway key should be in. */
  tier?: string;
  /**
   * The reseller's own API Gateway key, which the gateway throttles header-key requests under (see gateway-keys.ts).
   * Written by the assignUsageKeys stream consumer only, shortly after the profile asks for a tier.
   */
  apiGatewayKey?: { id: string; value: string; tier: string };
}

/** A reseller profile as the usage key consumer reads it (consistently) and writes its key back. */
export interface UsageKeyProfile extends UsageKeyView {
  id: string;
  apiGatewayKey?: { id: string; value: string; tier: string };
}

export interface UsageKeyProfiles {
  get(userId: string): Promise<UsageKeyProfile | undefined>;
  /** Records the key, unless the profile asks for another tier by now ('tier_changed': its own change follows). */
  recordKey(userId: string, key: { id: string; value: string; tier: string }, at: string): Promise<'recorded' | 'tier_changed'>;
  /** Records that no key could be made for the tier, under the same condition. */
  recordRefused(userId: string, tier: string, at: string): Promise<'recorded' | 'tier_changed'>;
}

export interface UserStore {
  put(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | undefined>;
}
