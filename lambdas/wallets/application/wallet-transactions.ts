// A wallet's ledger as its owner pages through it, newest first.
import type { LedgerEntry, LedgerKind, WalletStore } from '../ports.js';

export function walletTransactions(
  services: { wallets: WalletStore },
  walletId: string,
  page: { limit: number; kind?: LedgerKind; cursor?: string },
): Promise<{ entries: LedgerEntry[]; cursor?: string }> {
  return services.wallets.listLedgerPage(walletId, page);
}
