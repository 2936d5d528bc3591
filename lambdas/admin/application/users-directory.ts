// The admin API's view of users: a list searched by email or id, and one user's page (profile, balance, order
// figures, keys, recent ledger entries and orders, pricing).
import type { ApiKeyDetails } from '../../access/ports.js';
import type { ResellerPricing } from '../../orders/domain/reseller-pricing.js';
import type { Micros } from '../../shared/money.js';
import type { LedgerEntry, WalletStore } from '../../wallets/ports.js';
import type { AdminUserProfile, OrderFigures, UserDirectory, UserListItem } from '../users-ports.js';

export interface UsersDirectoryDeps {
  directory: UserDirectory;
  wallets: Pick<WalletStore, 'listLedgerPage'>;
  keys: { listApiKeys(ownerId: string): Promise<ApiKeyDetails[]> };
  pricing: { current(ownerId: string): Promise<ResellerPricing | undefined> };
}

/** Orders read for a user's figures: one Query of the owner-orders index, about 12 read units at most (see docs/admin/users.md). */
export const ORDER_FIGURES_LIMIT = 500;
const RECENT = 10;

export type ListedUser = UserListItem & { balance: Micros | null };

/**
 * `q` is an email prefix (normalised, like accounts) or a user id: an id is read directly, and also matched as an
 * email prefix so a search for "usr_…" that is nobody's id still finds what starts so.
 */
export async function listUsers(
  deps: UsersDirectoryDeps,
  input: { q?: string; limit: number; cursor?: string },
): Promise<{ items: ListedUser[]; cursor?: string }> {
  const q = input.q?.trim() ?? '';
  const byId = q && !input.cursor && !q.includes('@') ? await deps.directory.getProfile(q) : undefined;
  const page = await deps.directory.listByEmail(q.toLowerCase(), input.limit, input.cursor);
  const items = byId ? [listItem(byId), ...page.items.filter((item) => item.id !== byId.id)].slice(0, input.limit) : page.items;
  const balances = await deps.directory.balances(items.map((item) => item.walletId));
  return { items: items.map((item) => ({ ...item, balance: balances.get(item.walletId) ?? null })), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

export interface UserDetail {
  profile: AdminUserProfile;
  balance: Micros | null;
  orders: OrderFigures;
  keys: ApiKeyDetails[];
  ledger: LedgerEntry[];
  pricing?: ResellerPricing;
}

export async function userDetail(deps: UsersDirectoryDeps, userId: string): Promise<UserDetail | undefined> {
  const profile = await deps.directory.getProfile(userId);
  if (!profile) return undefined;
  const [balances, orders, keys, ledger, pricing] = await Promise.all([
    deps.directory.balances([profile.walletId]),
    deps.directory.orderFigures(userId, ORDER_FIGURES_LIMIT, RECENT),
    deps.keys.listApiKeys(userId),
    deps.wallets.listLedgerPage(profile.walletId, { limit: RECENT }),
    deps.pricing.current(userId),
  ]);
  return { profile, balance: balances.get(profile.walletId) ?? null, orders, keys, ledger: ledger.entries, ...(pricing ? { pricing } : {}) };
}

function listItem(profile: AdminUserProfile): UserListItem {
  const { id, email, role, walletId, blocked, createdAt } = profile;
  return { id, email, role, walletId, blocked, createdAt };
}
