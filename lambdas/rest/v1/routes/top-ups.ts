// REST v1 implementations: top-ups.
import { createTopUp, getTopUp, type Links, listTopUps } from '../../../payments/application/top-ups.js';
import { type TopUp, visibleStatus } from '../../../payments/domain/top-ups.js';
import { topUpDeps } from '../../../payments/wiring.js';
import { formatMoney, type Micros } from '../../../shared/money.js';
import { config, systemClock } from '../../../shared/platform/config.js';
import { createTopUpOperation, getTopUpOperation, listTopUpsOperation } from '../contract/top-ups.js';
import { created, notFound, ok, type RouteImpl, route } from '../http.js';

export function topUpView(topUp: TopUp, now: Date) {
  const status = visibleStatus(topUp, now);
  return {
    id: topUp.id,
    status,
    amount: formatMoney(topUp.amount, 2),
    currency: topUp.currency,
    method: topUp.method,
    checkoutUrl: status === 'pending' ? (topUp.checkoutUrl ?? null) : null,
    createdAt: topUp.createdAt,
    updatedAt: topUp.updatedAt,
    expiresAt: topUp.expiresAt,
    ...(topUp.creditedAt ? { creditedAt: topUp.creditedAt } : {}),
    ...(topUp.promoCode ? { promoCode: topUp.promoCode, bonus: formatMoney(topUp.promoBonus ?? (0 as Micros), 2) } : {}),
    ...(topUp.bonusCredited !== undefined ? { bonusCredited: formatMoney(topUp.bonusCredited, 2) } : {}),
  };
}

export function paymentLinks(apiBase: string): Links {
  const returnUrl = config().TOP_UP_RETURN_URL;
  return {
    callbackUrl: (method) => `${apiBase}/api/v1/payments/${method}/callback`,
    ...(returnUrl ? { returnUrl: (id: string) => returnUrl.replaceAll('{id}', encodeURIComponent(id)) } : {}),
  };
}

export const topUpsRoutes: readonly RouteImpl[] = [
  route(createTopUpOperation, async (req) => {
    const topUp = await createTopUp(topUpDeps(), req.caller, req.body, paymentLinks(req.apiBase));
    return created(topUpView(topUp, systemClock.now()));
  }),
  route(listTopUpsOperation, async (req) => {
    const page = await listTopUps(topUpDeps(), req.caller, { limit: req.query.limit ?? 20, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
    const now = systemClock.now();
    return ok({ items: page.items.map((t) => topUpView(t, now)), nextCursor: page.nextCursor });
  }),
  route(getTopUpOperation, async (req) => {
    const topUp = await getTopUp(topUpDeps(), req.caller, req.params.id);
    if (!topUp) throw notFound('Top-up');
    return ok(topUpView(topUp, systemClock.now()));
  }),
];
