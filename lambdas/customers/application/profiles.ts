// The signed-in user's own profile, and blocking a user (for admins): apart from registration so the cabinet and
// admin functions carry neither the email client nor the password hashing.
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import { DomainError } from '../../shared/errors.js';
import type { Clock } from '../../shared/ports.js';
import type { Account, AccountStore, NotificationSettings, SessionStore } from '../ports.js';

export interface ProfilePatch {
  name?: string | null;
  telegram?: string | null;
  notifications?: Partial<NotificationSettings>;
}

export class Profiles {
  constructor(private readonly deps: { accounts: AccountStore; clock: Clock }) {}

  async profile(userId: string): Promise<Account> {
    const account = await this.deps.accounts.get(userId);
    if (!account) throw new DomainError('unknown_user', 'No such user');
    return account;
  }

  async updateProfile(userId: string, patch: ProfilePatch): Promise<Account> {
    const current = await this.profile(userId);
    const name = patch.name === undefined || patch.name === null ? patch.name : patch.name.trim() || null;
    const telegram = patch.telegram === undefined || patch.telegram === null ? patch.telegram : normaliseTelegram(patch.telegram);
    const updated = await this.deps.accounts.update(userId, {
      ...(name !== undefined ? { name } : {}),
      ...(telegram !== undefined ? { telegram } : {}),
      ...(patch.notifications ? { notifications: { ...current.notifications, ...patch.notifications } } : {}),
      at: this.deps.clock.now().toISOString(),
    });
    if (!updated) throw new DomainError('unknown_user', 'No such user');
    return updated;
  }
}

export interface AccountBlockingDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  clock: Clock;
  /** Suspends and reactivates the user's API keys (ApiKeyManagement). */
  apiKeys: {
    listApiKeys(ownerId: string): Promise<{ keyId: string; status: string; statusReason?: string }[]>;
    suspendApiKey(ownerId: string, keyId: string, options: KeyChangeOptions): Promise<unknown>;
    reactivateApiKey(ownerId: string, keyId: string, options: KeyChangeOptions): Promise<unknown>;
  };
}

/** Who decided, for the audit trail: an admin's id (and role, email, address when it came through the admin API). */
export interface BlockingActor {
  actor: string;
  actorRole?: string;
  actorEmail?: string;
  source?: string;
}

type KeyChangeOptions = BlockingActor & { reason?: string };

/**
 * The start of the reason of a key suspended by its owner's block. Unblocking reactivates only keys whose reason
 * starts with it, so a key suspended for anything else (abuse, an admin's own decision) stays suspended.
 */
export const BLOCK_SUSPENSION_PREFIX = 'account blocked: ';

export class AccountBlocking {
  constructor(private readonly deps: AccountBlockingDeps) {}

  /**
   * Blocks a user: no more logins, every session ended, every active API key suspended. Safe to repeat (a repeat
   * ends what a stopped attempt left). The profile change and its audit entry are one write; each key's suspension
   * is audited by key management.
   */
  async blockAccount(userId: string, options: BlockingActor & { reason: string }): Promise<{ sessionsEnded: number; keysSuspended: number }> {
    const at = this.deps.clock.now().toISOString();
    const account = await this.deps.accounts.get(userId);
    if (!account) throw new DomainError('unknown_user', 'No such user');
    const audit = auditOf(options, 'user.blocked', userId, at, { blocked: account.blocked }, { blocked: true, blockedReason: options.reason }, options.reason);
    if (!(await this.deps.accounts.setBlocked(userId, options.reason, at, audit))) throw new DomainError('unknown_user', 'No such user');
    const sessionsEnded = await this.deps.sessions.revokeAll(userId, 'account_blocked', at);
    let keysSuspended = 0;
    for (const key of await this.deps.apiKeys.listApiKeys(userId)) {
      if (key.status !== 'active') continue;
      await this.deps.apiKeys.suspendApiKey(userId, key.keyId, { ...actorOf(options), reason: `${BLOCK_SUSPENSION_PREFIX}${options.reason}` });
      keysSuspended++;
    }
    return { sessionsEnded, keysSuspended };
  }

  /** Lifts the block and reactivates the keys the block suspended (and no other). Safe to repeat. */
  async unblockAccount(userId: string, options: BlockingActor & { reason?: string }): Promise<{ keysReactivated: number }> {
    const at = this.deps.clock.now().toISOString();
    const account = await this.deps.accounts.get(userId);
    if (!account) throw new DomainError('unknown_user', 'No such user');
    const audit = auditOf(options, 'user.unblocked', userId, at, { blocked: account.blocked }, { blocked: false }, options.reason);
    if (!(await this.deps.accounts.setUnblocked(userId, at, audit))) throw new DomainError('unknown_user', 'No such user');
    let keysReactivated = 0;
    for (const key of await this.deps.apiKeys.listApiKeys(userId)) {
      if (key.status !== 'suspended' || !key.statusReason?.startsWith(BLOCK_SUSPENSION_PREFIX)) continue;
      await this.deps.apiKeys.reactivateApiKey(userId, key.keyId, { ...actorOf(options), reason: 'account unblocked' });
      keysReactivated++;
    }
    return { keysReactivated };
  }
}

function actorOf(options: BlockingActor): BlockingActor {
  return {
    actor: options.actor,
    ...(options.actorRole ? { actorRole: options.actorRole } : {}),
    ...(options.actorEmail ? { actorEmail: options.actorEmail } : {}),
    ...(options.source ? { source: options.source } : {}),
  };
}

function auditOf(
  options: BlockingActor,
  action: string,
  userId: string,
  at: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  reason?: string,
): AuditEntry {
  return { ...actorOf(options), action, subjectType: 'user', subject: userId, ownerId: userId, at, before, after, ...(reason ? { reason } : {}) };
}

/** "@Name", "name" and "https://t.me/name" are one Telegram username. */
export function normaliseTelegram(text: string): string {
  const name = text
    .trim()
    .replace(/^(https?:\/\/)?(t\.me|telegram\.me)\//i, '')
    .replace(/^@/, '');
  if (!/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(name)) {
    throw new DomainError('invalid_request', 'A Telegram username has 5 to 32 letters, digits or underscores and starts with a letter', 'telegram');
  }
  return `@${name}`;
}
