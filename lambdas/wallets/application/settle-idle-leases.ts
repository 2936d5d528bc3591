// Balance leases settled (docs/wallet-concurrency.md): those their holders closed (used up, or old), as soon as the
// table's stream shows them closed and again on the minute's schedule in case that failed, and
// those of containers gone quiet (a Lambda container cannot act while idle), on the schedule. Settling numbers a
// lease's charges into its wallet's ledger; done here, off the orders' path, it costs no order a wait on the wallet's
// sequence.
import type { Clock } from '../../shared/ports.js';
import type { IdleLeases, OpenLease } from '../ports.js';

/** An open lease this old is idle: its holder closes its own at its next order once it is half a minute old. */
export const IDLE_LEASE_AGE_MS = 2 * 60_000;
/** Leases found per look. */
const PER_LOOK = 200;
/** Wallets settled at once: settlements of one wallet go one at a time (each is a movement on it). */
const WALLETS_AT_ONCE = 8;

/** Settles what there is to settle, look after look, until none is left or `budgetMs` is spent (a run's time limit). */
export async function settleIdleLeases(services: { leases: IdleLeases; clock: Clock }, budgetMs = 90_000): Promise<{ settled: number; found: number }> {
  const started = services.clock.now().getTime();
  let settled = 0;
  let found = 0;
  for (;;) {
    const now = services.clock.now();
    const due = await services.leases.toSettle(new Date(now.getTime() - IDLE_LEASE_AGE_MS).toISOString(), PER_LOOK);
    found += due.length;
    const settledNow = await settleByWallet(services.leases, due, now.toISOString());
    settled += settledNow;
    // Done when a look finds less than a full page, or nothing it found needed settling (the index lags behind).
    if (due.length < PER_LOOK || settledNow === 0 || services.clock.now().getTime() - started > budgetMs) return { settled, found };
  }
}

/**
 * Settles the leases, several wallets at once and one lease at a time per wallet (each settlement is a movement on its
 * wallet's sequence). Returns how many it settled (the others were already).
 */
export async function settleByWallet(leases: Pick<IdleLeases, 'settle'>, due: readonly OpenLease[], at: string): Promise<number> {
  const byWallet = new Map<string, OpenLease[]>();
  for (const lease of due) byWallet.set(lease.walletId, [...(byWallet.get(lease.walletId) ?? []), lease]);
  const wallets = [...byWallet.values()];
  let settled = 0;
  for (let i = 0; i < wallets.length; i += WALLETS_AT_ONCE) {
    await Promise.all(
      wallets.slice(i, i + WALLETS_AT_ONCE).map(async (ofWallet) => {
        for (const lease of ofWallet) if ((await leases.settle(lease, at)) === 'settled') settled++;
      }),
    );
  }
  return settled;
}

/** A lease its holder closed, settled at once (from the table's stream): 'already_settled' when it was. */
export function settleClosedLease(services: { leases: Pick<IdleLeases, 'settle'>; clock: Clock }, lease: OpenLease): Promise<'settled' | 'already_settled'> {
  return services.leases.settle(lease, services.clock.now().toISOString());
}
