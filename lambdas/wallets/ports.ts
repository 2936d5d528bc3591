// Wallets and their ledger: every movement of money is a ledger entry written with the balance change.
import type { Micros } from '../shared/money.js';

/**
 * An order paid from a balance lease (docs/wallet-concurrency.md) has its `order_charge` entry when the lease
 * settles; taking and settling a lease writes no entry of its own.
 */
export type LedgerKind = 'deposit' | 'order_charge' | 'order_refund' | 'adjustment' | 'bonus';

export interface LedgerEntry {
  walletId: string;
  seq: number;
  kind: LedgerKind;
  /** Signed: credits are positive, debits negative. */
  amount: Micros;
  balanceAfter: Micros;
  reference: string;
  at: string;
}

/** What one attempt at a movement read and will write (for records that keep the balance before and after). */
export interface MovementState {
  balanceBefore: Micros;
  balanceAfter: Micros;
  /** The sequence number of the ledger entry written. */
  seq: number;
}

export interface Wallet {
  id: string;
  ownerId: string;
  currency: string;
  /** What the owner has: the wallet item's balance and what its open balance leases have left. */
  balance: Micros;
  seq: number;
}

export interface WalletStore {
  openWallet(wallet: { id: string; ownerId: string; currency: string }, now: string): Promise<void>;
  getWallet(id: string): Promise<Wallet | undefined>;
  /** Credits a wallet once per idempotency key; a repeat returns 'already_applied' and changes nothing. */
  credit(input: {
    walletId: string;
    amount: Micros;
    kind: LedgerKind;
    reference: string;
    idempotencyKey: string;
    at: string;
  }): Promise<'applied' | 'already_applied'>;
  listLedger(walletId: string): Promise<LedgerEntry[]>;
  /** A page of the ledger, newest first; the cursor is absent on the last page. */
  listLedgerPage(walletId: string, page: { limit: number; kind?: LedgerKind; cursor?: string }): Promise<{ entries: LedgerEntry[]; cursor?: string }>;
}

/** A balance lease open on a wallet (docs/wallet-concurrency.md), as the sweep of idle ones finds it. */
export interface OpenLease {
  walletId: string;
  leaseId: string;
  takenAt: string;
}

/** Balance leases to settle, and their settlement (the lease's charges into its wallet's ledger). */
export interface IdleLeases {
  /** Those their holders closed, then those taken before the cutoff, oldest first; at most `limit`. */
  toSettle(cutoff: string, limit: number): Promise<OpenLease[]>;
  settle(lease: OpenLease, at: string): Promise<'settled' | 'already_settled'>;
}
