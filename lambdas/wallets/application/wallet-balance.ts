// A wallet's balance as its owner sees it.
import { DomainError } from '../../shared/errors.js';
import type { Micros } from '../../shared/money.js';
import type { WalletStore } from '../ports.js';

export async function walletBalance(services: { wallets: WalletStore }, walletId: string): Promise<{ balance: Micros; currency: string }> {
  const wallet = await services.wallets.getWallet(walletId);
  if (!wallet) throw new DomainError('unknown_wallet', 'The wallet does not exist');
  return { balance: wallet.balance, currency: wallet.currency };
}
