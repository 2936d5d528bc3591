// Reconciliation: every wallet's balance against the sum of its ledger (and the ledger numbered 1..seq without a
// gap), and each settled order's recorded provider cost against what its provider said it charged. Pure: fed page
// by page, it keeps one small running sum per wallet.
import { type Micros, micros } from '../../shared/money.js';
import type { LedgerFact, SettledOrderCost, WalletState } from '../ports.js';

/** At most this many differences of each kind are kept in the result (the counts are always complete). */
export const MAX_LISTED = 500;

export interface WalletDifference {
  walletId: string;
  ownerId?: string;
  balance: Micros;
  ledgerSum: Micros;
  difference: Micros;
  seq: number;
  entries: number;
  /** The ledger is not numbered 1..seq: entries missing, or numbered past the wallet's seq. */
  gap: boolean;
}

export interface CostDifference {
  orderId: number;
  providerId: string;
  recordedCost: Micros;
  providerCharge: Micros;
  difference: Micros;
}

export interface ReconciliationResult {
  walletsChecked: number;
  ledgerEntriesChecked: number;
  ordersChecked: number;
  /** Settled orders whose provider reported a charge, compared; the others have only the recorded cost. */
  ordersWithProviderCharge: number;
  walletDifferences: number;
  costDifferences: number;
  wallets: WalletDifference[];
  costs: CostDifference[];
}

interface Running {
  wallet?: WalletState;
  sum: number;
  entries: number;
  maxSeq: number;
}

export class Reconciler {
  private readonly wallets = new Map<string, Running>();
  private readonly costs: CostDifference[] = [];
  private orders = 0;
  private withCharge = 0;
  private ledgerEntries = 0;
  private costDifferences = 0;

  add(page: { wallets: WalletState[]; ledger: LedgerFact[]; orders: SettledOrderCost[] }): void {
    for (const wallet of page.wallets) this.running(wallet.walletId).wallet = wallet;
    for (const entry of page.ledger) {
      const running = this.running(entry.walletId);
      running.sum += entry.amount;
      running.entries++;
      running.maxSeq = Math.max(running.maxSeq, entry.seq);
      this.ledgerEntries++;
    }
    for (const order of page.orders) {
      this.orders++;
      if (order.providerCharge === undefined) continue;
      this.withCharge++;
      if (order.providerCharge === order.recordedCost) continue;
      this.costDifferences++;
      if (this.costs.length < MAX_LISTED)
        this.costs.push({ ...order, providerCharge: order.providerCharge, difference: micros(order.providerCharge - order.recordedCost) });
    }
  }

  result(): ReconciliationResult {
    const differences: WalletDifference[] = [];
    let count = 0;
    for (const [walletId, running] of this.wallets) {
      const balance = running.wallet?.balance ?? micros(0);
      const seq = running.wallet?.seq ?? 0;
      // Keys are unique per wallet, so `entries` distinct numbers all within 1..seq, as many as seq, are exactly 1..seq.
      const gap = running.entries !== seq || running.maxSeq > seq;
      if (balance === running.sum && !gap && running.wallet) continue;
      count++;
      if (differences.length < MAX_LISTED)
        differences.push({
          walletId,
          ...(running.wallet?.ownerId ? { ownerId: running.wallet.ownerId } : {}),
          balance,
          ledgerSum: micros(running.sum),
          difference: micros(balance - running.sum),
          seq,
          entries: running.entries,
          gap,
        });
    }
    return {
      walletsChecked: [...this.wallets.values()].filter((r) => r.wallet).length,
      ledgerEntriesChecked: this.ledgerEntries,
      ordersChecked: this.orders,
      ordersWithProviderCharge: this.withCharge,
      walletDifferences: count,
      costDifferences: this.costDifferences,
      wallets: differences,
      costs: this.costs,
    };
  }

  private running(walletId: string): Running {
    let running = this.wallets.get(walletId);
    if (!running) this.wallets.set(walletId, (running = { sum: 0, entries: 0, maxSeq: 0 }));
    return running;
  }
}
