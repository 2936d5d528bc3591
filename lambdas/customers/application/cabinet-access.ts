// Who is calling a cabinet operation: the one place that checks access tokens and API keys for /api/v1. It never
// refuses by itself; it returns a caller or the reason there is none, and the REST plumbing answers 401/403.
// Per-container caches keep the common request at zero or one DynamoDB read (see docs/auth.md).
import { hashApiKey } from '../../access/domain/api-keys.js';
import { isIpAllowed } from '../../access/domain/caller-address.js';
import type { ApiKeyRegistry, StoredApiKey } from '../../access/ports.js';
import type { AuthorizerDecision } from '../../rest/v1/caller.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { SecretStore } from '../../shared/ports.js';
import type { Account, AccountStore, SessionStore } from '../ports.js';
import type { AccessTokens } from './access-tokens.js';

export interface CabinetAccessDeps {
  tokens: AccessTokens;
  sessions: SessionStore;
  accounts: AccountStore;
  apiKeys: ApiKeyRegistry;
  secrets: SecretStore;
  pepperSecretId: string;
  now?: () => number;
  /** ApiKeyBlocks: requests refused because their key is suspended. */
  metrics: MetricsRecorder;
}

export interface CabinetAccessOptions {
  /** How long a session found active is trusted without reading it again (10 s): logout takes effect that fast. */
  activeSessionMs?: number;
  /** How long an API key lookup, found or not, is reused (30 s). */
  keyMs?: number;
  /** How long a key owner's account (blocked or not) is reused (10 s). */
  ownerMs?: number;
}

export interface CabinetCredentials {
  /** The Authorization header: `Bearer <access token>` or `ApiKey <key>`. */
  authorization?: string;
  /** The X-Api-Key header. */
  apiKey?: string;
  sourceIp: string;
}

const MAX_CACHED = 10_000;

export class CabinetAccess {
  private readonly sessionCache = new Map<string, { active: boolean; expires: number }>();
  private readonly keyCache = new Map<string, { record: StoredApiKey | undefined; expires: number }>();
  private readonly ownerCache = new Map<string, { account: Account | undefined; expires: number }>();
  private readonly now: () => number;
  private readonly settings: Required<CabinetAccessOptions>;

  constructor(
    private readonly deps: CabinetAccessDeps,
    options: CabinetAccessOptions = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.settings = { activeSessionMs: options.activeSessionMs ?? 10_000, keyMs: options.keyMs ?? 30_000, ownerMs: options.ownerMs ?? 10_000 };
  }

  async decide(credentials: CabinetCredentials): Promise<AuthorizerDecision> {
    const [scheme = '', ...rest] = (credentials.authorization ?? '').trim().split(/\s+/);
    const value = rest.join(' ');
    if (/^bearer$/i.test(scheme) && value) return this.bySession(value);
    if (/^apikey$/i.test(scheme) && value) return this.byKey(value, credentials.sourceIp);
    if (credentials.apiKey?.trim()) return this.byKey(credentials.apiKey.trim(), credentials.sourceIp);
    return { refusal: credentials.authorization ? 'invalid_token' : 'missing_credentials' };
  }

  private async bySession(token: string): Promise<AuthorizerDecision> {
    const check = await this.deps.tokens.verify(token);
    if (!check.ok) return { refusal: check.refusal };
    const { claims } = check;
    if (!(await this.sessionActive(claims.userId, claims.sessionId))) return { refusal: 'session_ended' };
    return {
      caller: {
        userId: claims.userId,
        walletId: claims.walletId,
        role: claims.role,
        emailVerified: claims.emailVerified,
        via: 'session',
        sessionId: claims.sessionId,
      },
    };
  }

  /** An ended session stays ended, so only "active" needs reading again. */
  private async sessionActive(userId: string, sessionId: string): Promise<boolean> {
    const cacheKey = `${userId}/${sessionId}`;
    const cached = this.sessionCache.get(cacheKey);
    if (cached && (!cached.active || cached.expires > this.now())) return cached.active;
    const session = await this.deps.sessions.get(userId, sessionId);
    const active = session?.status === 'active' && session.expiresAt * 1000 > this.now();
    remember(this.sessionCache, cacheKey, { active, expires: this.now() + this.settings.activeSessionMs });
    return active;
  }

  private async byKey(key: string, sourceIp: string): Promise<AuthorizerDecision> {
    const record = await this.lookupKey(key);
    if (!record || record.status === 'revoked') return { refusal: 'invalid_key' };
    if (record.status === 'suspended') {
      this.deps.metrics.record('ApiKeyBlocks', 1, {});
      return { refusal: 'key_suspended' };
    }
    if (record.status !== 'active') return { refusal: 'invalid_key' };
    if (!isIpAllowed(record.allowedIps, sourceIp)) return { refusal: 'ip_not_allowed' };
    const owner = await this.owner(record.ownerId);
    if (!owner) return { refusal: 'invalid_key' };
    if (owner.blocked) return { refusal: 'account_blocked' };
    return {
      caller: { userId: owner.id, walletId: record.walletId, role: owner.role, emailVerified: owner.emailVerified, via: 'apiKey', keyId: record.keyId },
    };
  }

  private async lookupKey(key: string): Promise<StoredApiKey | undefined> {
    const hash = hashApiKey(key, await this.deps.secrets.get(this.deps.pepperSecretId));
    const cached = this.keyCache.get(hash);
    if (cached && cached.expires > this.now()) return cached.record;
    const record = await this.deps.apiKeys.findKey(hash);
    remember(this.keyCache, hash, { record, expires: this.now() + this.settings.keyMs });
    return record;
  }

  private async owner(userId: string): Promise<Account | undefined> {
    const cached = this.ownerCache.get(userId);
    if (cached && cached.expires > this.now()) return cached.account;
    const account = await this.deps.accounts.get(userId);
    remember(this.ownerCache, userId, { account, expires: this.now() + this.settings.ownerMs });
    return account;
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
}
