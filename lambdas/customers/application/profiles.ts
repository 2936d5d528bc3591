// The signed-in user's own profile, and blocking a user (for admins): apart from registration so the cabinet and
// admin functions carry neither the email client nor the password hashing.
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
  /** Suspends the user's API keys (ApiKeyManagement). */
  apiKeys: {
    listApiKeys(ownerId: string): Promise<{ keyId: string; status: string }[]>;
    suspendApiKey(ownerId: string, keyId: string, options: { actor?: string; reason?: string }): Promise<unknown>;
  };
}

export class AccountBlocking {
  constructor(private readonly deps: AccountBlockingDeps) {}

  /**
   * Blocks a user: no more logins, every session ended, every active API key suspended. Safe to repeat.
   * `actor` is whoever decided it (an admin's id), for the audit trail of the keys.
   */
  async blockAccount(userId: string, options: { actor: string; reason: string }): Promise<{ sessionsEnded: number; keysSuspended: number }> {
    const at = this.deps.clock.now().toISOString();
    if (!(await this.deps.accounts.setBlocked(userId, options.reason, at))) throw new DomainError('unknown_user', 'No such user');
    const sessionsEnded = await this.deps.sessions.revokeAll(userId, 'account_blocked', at);
    let keysSuspended = 0;
    for (const key of await this.deps.apiKeys.listApiKeys(userId)) {
      if (key.status !== 'active') continue;
      await this.deps.apiKeys.suspendApiKey(userId, key.keyId, { actor: options.actor, reason: `account blocked: ${options.reason}` });
      keysSuspended++;
    }
    return { sessionsEnded, keysSuspended };
  }
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
