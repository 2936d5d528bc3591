// A reseller's API keys: creation (the full key is returned once, only its keyed hash is kept), listing by
// prefix, revocation, suspension and reactivation, and the IP allow-list. Every change is audited.
import {
  type ApiKeyLimits,
  type ApiKeyStatus,
  displayPrefix,
  generateApiKey,
  generateApiKeyId,
  hashApiKey,
  isWellFormedApiKey,
  validateLimits,
} from '../domain/api-keys.js';
import { DomainError } from '../../shared/errors.js';
import type { ApiKeyDetails, ApiKeyRegistry, AuditEntry, StoredApiKey } from '../ports.js';
import type { Clock, SecretStore } from '../../shared/ports.js';

export interface ApiKeyManagementDeps {
  keys: ApiKeyRegistry;
  secrets: SecretStore;
  pepperSecretId: string;
  clock: Clock;
  /** The tier names a key may carry; any name when absent. */
  tierNames?: readonly string[];
  /** Told of every changed key, so this container's access checks stop trusting their cached copy at once. */
  onKeyChanged?: (keyId: string) => void;
  /** Keys an owner may have that are not revoked (active or suspended); no cap when absent. */
  maxActiveKeysPerOwner?: number;
  /** The tier a new key gets when none is asked for: the owner's (its user record's), when it has one. */
  ownerTier?: (ownerId: string) => Promise<string | undefined>;
  /**
   * Checks and normalises an IP allow-list (parseIpAllowList, domain/ip-allow-list.ts). Given only where keys get
   * allow-lists (the cabinet): its parser (ipaddr.js, 13 KB) stays out of the admin functions' bundles.
   */
  parseAllowList?: (entries: readonly string[]) => string[];
}

export interface CreateApiKeyInput {
  label?: string;
  allowedIps?: string[];
  limits?: Partial<ApiKeyLimits>;
  tier?: string;
  /** Registers this key instead of a new one. Only for seeding a persisted demo key; repeating it changes nothing. */
  presetKey?: string;
  /** The owner makes it for itself (the cabinet): counted against `maxActiveKeysPerOwner`. Operators' keys are not. */
  selfService?: boolean;
}

/** Who made a change, for the audit trail: the owner unless said otherwise (an admin's id, 'system'). */
export interface ChangeOptions {
  actor?: string;
  /** `admin` or `operator` for the admin API. */
  actorRole?: string;
  actorEmail?: string;
  /** The caller's address. */
  source?: string;
  reason?: string;
}

export class ApiKeyManagement {
  constructor(private readonly deps: ApiKeyManagementDeps) {}

  async createApiKey(ownerId: string, walletId: string, input: CreateApiKeyInput = {}): Promise<{ key: string; record: ApiKeyDetails }> {
    if (!ownerId || !walletId) throw new DomainError('invalid_request', 'An API key needs an owner and a wallet');
    const label = input.label === undefined ? undefined : checkedLabel(input.label, false);
    if (input.tier !== undefined && (this.deps.tierNames ? !this.deps.tierNames.includes(input.tier) : !/^[\w-]{1,64}$/.test(input.tier))) {
      throw new DomainError('invalid_request', `Unknown tier "${input.tier}"`);
    }
    const allowedIps = input.allowedIps?.length ? this.allowList(input.allowedIps) : [];
    const limits = input.limits ? validateLimits(input.limits) : {};
    if (input.presetKey !== undefined && !isWellFormedApiKey(input.presetKey))
      throw new DomainError('invalid_request', 'A preset key must look like cdx_ followed by at least 32 letters and digits');

    // Only keys owners make for themselves are capped (onboarding, seeds and operators may make more). Two creations
    // at once may both pass (the count is read, not reserved): the cap bounds a stolen session's damage, not a quota.
    const cap = this.deps.maxActiveKeysPerOwner;
    if (cap !== undefined && input.selfService && input.presetKey === undefined) {
      const active = (await this.deps.keys.listKeys(ownerId)).filter((k) => k.status !== 'revoked').length;
      if (active >= cap) throw new DomainError('api_key_limit', `An account can have at most ${cap} API keys; revoke one you no longer use first`);
    }
    const tier = input.tier ?? (await this.deps.ownerTier?.(ownerId));

    const key = input.presetKey ?? generateApiKey();
    const now = this.deps.clock.now().toISOString();
    const stored: StoredApiKey = {
      keyId: generateApiKeyId(),
      keyHash: hashApiKey(key, await this.deps.secrets.get(this.deps.pepperSecretId)),
      prefix: displayPrefix(key),
      ownerId,
      walletId,
      status: 'active',
      createdAt: now,
      ...(label ? { label } : {}),
      ...(allowedIps.length > 0 ? { allowedIps } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      ...(tier ? { tier } : {}),
    };
    const outcome = await this.deps.keys.create(stored, audit(ownerId, stored.keyId, 'api_key.created', now));
    if (outcome === 'created') return { key, record: withoutHash(stored) };

    // Only a preset key can already exist (a generated one has 238 random bits): seeding again is a no-op.
    const existing = await this.deps.keys.findKey(stored.keyHash);
    if (!input.presetKey || !existing || existing.ownerId !== ownerId) throw new DomainError('invalid_request', 'This API key cannot be registered');
    return { key, record: withoutHash(existing) };
  }

  listApiKeys(ownerId: string): Promise<ApiKeyDetails[]> {
    return this.deps.keys.listKeys(ownerId);
  }

  /** One of the owner's keys; undefined when the owner has no key of that id. */
  getApiKey(ownerId: string, keyId: string): Promise<ApiKeyDetails | undefined> {
    return this.deps.keys.getKey(ownerId, keyId);
  }

  /** Renames the key; an empty label removes it. */
  relabelApiKey(ownerId: string, keyId: string, label: string, options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    return this.change(ownerId, keyId, 'api_key.label_changed', { label: checkedLabel(label, true) }, ['active', 'suspended'], options, {
      revoked: 'API key is revoked',
    });
  }

  revokeApiKey(ownerId: string, keyId: string, options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    return this.change(ownerId, keyId, 'api_key.revoked', { status: 'revoked', ...reason(options) }, ['active', 'suspended'], options, {
      revoked: 'unchanged',
    });
  }

  suspendApiKey(ownerId: string, keyId: string, options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    return this.change(ownerId, keyId, 'api_key.suspended', { status: 'suspended', ...reason(options) }, ['active'], options, {
      suspended: 'unchanged',
      revoked: 'API key is revoked',
    });
  }

  reactivateApiKey(ownerId: string, keyId: string, options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    return this.change(ownerId, keyId, 'api_key.reactivated', { status: 'active' }, ['suspended'], options, {
      active: 'unchanged',
      revoked: 'A revoked API key cannot be reactivated; create a new one',
    });
  }

  /** Replaces the key's own limits (each within validateLimits' bounds); `{}` removes them, so its tier's apply. */
  setLimits(ownerId: string, keyId: string, limits: Partial<ApiKeyLimits>, options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    return this.change(ownerId, keyId, 'api_key.limits_changed', { limits: validateLimits(limits) }, ['active', 'suspended'], options, {
      revoked: 'API key is revoked',
    });
  }

  /** Moves the key to another rate-limit tier (a reseller's tier changed). */
  setTier(ownerId: string, keyId: string, tier: string, options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    if (this.deps.tierNames && !this.deps.tierNames.includes(tier)) throw new DomainError('invalid_request', `Unknown tier "${tier}"`, 'tier');
    return this.change(ownerId, keyId, 'api_key.tier_changed', { tier }, ['active', 'suspended'], options, { revoked: 'API key is revoked' });
  }

  /** Replaces the key's allow-list; an empty list lets every address in again. Every entry is checked first. */
  async setIpAllowList(ownerId: string, keyId: string, ips: string[], options: ChangeOptions = {}): Promise<ApiKeyDetails> {
    const allowedIps = ips.length > 0 ? this.allowList(ips) : [];
    return this.change(ownerId, keyId, 'api_key.allow_list_changed', { allowedIps }, ['active', 'suspended'], options, {
      revoked: 'API key is revoked',
    });
  }

  private allowList(entries: readonly string[]): string[] {
    if (!this.deps.parseAllowList) throw new Error('This function sets no IP allow-lists (no parseAllowList given)');
    return this.deps.parseAllowList(entries);
  }

  private async change(
    ownerId: string,
    keyId: string,
    action: string,
    change: { status?: ApiKeyStatus; statusReason?: string; allowedIps?: string[]; label?: string; limits?: Partial<ApiKeyLimits>; tier?: string },
    from: readonly ApiKeyStatus[],
    options: ChangeOptions,
    otherwise: Partial<Record<ApiKeyStatus, 'unchanged' | string>>,
  ): Promise<ApiKeyDetails> {
    const at = this.deps.clock.now().toISOString();
    const result = await this.deps.keys.changeKey(ownerId, keyId, { ...change, at }, from, audit(ownerId, keyId, action, at, options));
    if (result.outcome === 'changed') {
      this.deps.onKeyChanged?.(keyId);
      return result.key;
    }
    if (result.outcome === 'status_mismatch' && otherwise[result.status] === 'unchanged') {
      const current = await this.deps.keys.getKey(ownerId, keyId);
      if (current) return current;
    }
    if (result.outcome === 'status_mismatch' && otherwise[result.status]) throw new DomainError('invalid_request', otherwise[result.status]!);
    throw new DomainError('invalid_request', `No API key ${keyId} on this account`);
  }
}

function audit(ownerId: string, keyId: string, action: string, at: string, options: ChangeOptions = {}): AuditEntry {
  return {
    actor: options.actor ?? ownerId,
    ...(options.actorRole ? { actorRole: options.actorRole } : {}),
    ...(options.actorEmail ? { actorEmail: options.actorEmail } : {}),
    action,
    subjectType: 'api_key',
    subject: keyId,
    ownerId,
    ...(options.source ? { source: options.source } : {}),
    at,
    ...(options.reason ? { reason: options.reason } : {}),
  };
}

function checkedLabel(raw: string, emptyRemoves: boolean): string {
  const label = raw.trim();
  if ((label.length === 0 && !emptyRemoves) || label.length > 100) throw new DomainError('invalid_request', 'A key label has 1 to 100 characters', 'label');
  return label;
}

const reason = (options: ChangeOptions) => (options.reason ? { statusReason: options.reason } : {});

function withoutHash(key: StoredApiKey): ApiKeyDetails {
  const { keyHash: _keyHash, ...details } = key;
  return details;
}
