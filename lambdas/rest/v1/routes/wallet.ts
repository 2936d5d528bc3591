// REST v1 implementations: balance and ledger of the caller's wallet.
import { formatMoney } from '../../../shared/money.js';
import { walletBalance } from '../../../wallets/application/wallet-balance.js';
import { walletTransactions } from '../../../wallets/application/wallet-transactions.js';
import { walletStore } from '../../../wallets/wiring.js';
import { getBalance, listTransactions } from '../contract/wallet.js';
import { ok, type RouteImpl, route } from '../http.js';

export const walletRoutes: readonly RouteImpl[] = [
  route(getBalance, async (req) => {
    const { balance, currency } = await walletBalance({ wallets: walletStore() }, req.caller.walletId);
    return ok({ balance: formatMoney(balance, 2), currency });
  }),
  route(listTransactions, async (req) => {
    const { entries, cursor } = await walletTransactions({ wallets: walletStore() }, req.caller.walletId, {
      limit: req.query.limit,
      ...(req.query.type ? { kind: req.query.type } : {}),
      ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    });
    return ok({
      items: entries.map((e) => ({
        id: e.seq,
        kind: e.kind,
        amount: formatMoney(e.amount, 2),
        balanceAfter: formatMoney(e.balanceAfter, 2),
        reference: e.reference,
        at: e.at,
      })),
      nextCursor: cursor ?? null,
    });
  }),
];
