// What the admin API's users use cases read and write beyond the areas' own ports (accounts, keys, wallets, orders):
// the user list by email, the admin's view of a profile, balances of many wallets, order figures, the email claim,
// and balance adjustments.
import type { UsageKeyState } from '../access/domain/usage-key.js';
import type { AuditEntry } from '../audit/domain/audit-entry.js';
import type { OrderStatus } from '../orders/domain/order-status.js';
import type { OrderSummary } from '../orders/ports.js';
import type { Micros } from '../shared/money.js';
import type { MovementState } from '../wallets/ports.js';

export interface UserListItem {
  id: string;
  email: string;
  role: string;
  walletId: string;
  blocked: boolean;
  createdAt: string;
}

/** A profile as the admin sees it: never the password hash, never the gateway key's value. */
export interface AdminUserProfile extends UserListItem {
  name?: string;
  telegram?: string;
  emailVerified: boolean;
  blockedReason?: string;
  blockedAt?: string;
  updatedAt?: string;
  /** Whether the user can log in with a password (customers); resellers onboarded here use API keys only. */
  hasPassword: boolean;
  /** The tier asked for (onboarding, pricing); the gateway key follows it from the stream. */
  tier?: string;
  apiGatewayKey?: { id: string; tier: string };
  /** Whether the gateway key is in the tier's usage plan yet (resellers only). */
  usageKey?: UsageKeyState;
}

/** Figures of the owner's most recent orders (at most `limit`): `complete` says whether that was all of them. */
export interface OrderFigures {
  counted: number;
  complete: boolean;
  byStatus: Partial<Record<OrderStatus, number>>;
  charged: Micros;
  refunded: Micros;
  recent: OrderSummary[];
}

export interface UserDirectory {
  /** Users whose normalised email starts with `prefix` (all users for ''), in email order. */
  listByEmail(prefix: string, limit: number, cursor?: string): Promise<{ items: UserListItem[]; cursor?: string }>;
  getProfile(id: string): Promise<AdminUserProfile | undefined>;
  /** Balances of the wallets found (BatchGetItem); missing wallets are left out. */
  balances(walletIds: readonly string[]): Promise<Map<string, Micros>>;
  orderFigures(ownerId: string, limit: number, recent: number): Promise<OrderFigures>;
  /** Claims the email for `userId` unless another user holds it: the holder's id either way. */
  claimEmail(normalisedEmail: string, userId: string, at: string): Promise<string>;
  /** Sets the tier the profile asks for; the assignUsageKeys consumer moves the gateway key after it. */
  setTier(userId: string, tier: string, at: string): Promise<void>;
}

export interface Adjustment {
  userId: string;
  walletId: string;
  /** Signed: positive credits, negative debits. */
  amount: Micros;
  reason: string;
  idempotencyKey: string;
  at: string;
  /** The audit entry of the attempt that commits, from the balance it read. */
  audit: (state: MovementState) => AuditEntry;
}

export interface AdjustmentResult {
  userId: string;
  walletId: string;
  amount: Micros;
  reason: string;
  seq: number;
  balanceBefore: Micros;
  balanceAfter: Micros;
  at: string;
}

export interface Adjustments {
  /** The result recorded for this idempotency key, if it was used already. */
  find(userId: string, idempotencyKey: string): Promise<AdjustmentResult | undefined>;
  /** Moves the money with its ledger entry, the key's record and the audit entry in one transaction; 'already_applied' when the key was used meanwhile. */
  apply(adjustment: Adjustment): Promise<AdjustmentResult | 'already_applied'>;
}

/** Who acts through the admin API, as every audit entry names them. */
export interface ActingAdmin {
  actor: string;
  actorRole: string;
  actorEmail?: string;
  source?: string;
}
