// /admin/v1/users...: the implementations. Each parses nothing itself (the contract did), calls one use case with
// the acting admin (for the audit log) and maps its result to JSON: money as decimal strings, never a secret.
import type { ApiKeyDetails } from '../../../access/ports.js';
import { adjustBalance as adjust } from '../../../admin/application/users-adjustments.js';
import { listUsers as list, userDetail } from '../../../admin/application/users-directory.js';
import { actOnKey, changeKeyLimits as changeLimits, type KeyAction } from '../../../admin/application/users-keys.js';
import { pricingJson } from '../../../admin/application/users-pricing.js';
import { adjustments, blocking, keyManagement, usersDirectory } from '../../../admin/users-wiring.js';
import { formatMoney } from '../../../shared/money.js';
import type { LedgerEntry } from '../../../wallets/ports.js';
import { notFound, ok, type RouteImpl, route } from '../../v1/http.js';
import { actingAdmin } from './acting-admin.js';
import { adjustBalance, blockUser, changeKeyLimits, getUser, listUsers, reactivateKey, revokeKey, suspendKey, unblockUser } from '../contract/users.js';

export const usersRoutes: readonly RouteImpl[] = [
  route(listUsers, async (req) => {
    const page = await list(usersDirectory(), {
      limit: req.query.limit ?? 20,
      ...(req.query.q ? { q: req.query.q } : {}),
      ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    });
    return ok({
      items: page.items.map((user) => ({
        id: user.id,
        email: user.email,
        role: user.role,
        balance: user.balance === null ? null : formatMoney(user.balance, 2),
        blocked: user.blocked,
        createdAt: user.createdAt,
      })),
      nextCursor: page.cursor ?? null,
    });
  }),
  route(getUser, async (req) => {
    const detail = await userDetail(usersDirectory(), req.params.id);
    if (!detail) throw notFound('User');
    const { orders } = detail;
    return ok({
      ...detail.profile,
      balance: detail.balance === null ? null : formatMoney(detail.balance, 2),
      orders: {
        counted: orders.counted,
        complete: orders.complete,
        byStatus: orders.byStatus,
        charged: formatMoney(orders.charged, 2),
        refunded: formatMoney(orders.refunded, 2),
        recent: orders.recent.map((order) => ({ ...order, charge: formatMoney(order.charge, 2), refunded: formatMoney(order.refunded, 2) })),
      },
      apiKeys: detail.keys.map(keyJson),
      recentLedger: detail.ledger.map(ledgerJson),
      pricing: detail.pricing ? pricingJson(detail.pricing) : null,
    });
  }),
  route(adjustBalance, async (req) => {
    const result = await adjust(
      adjustments(),
      { userId: req.params.id, amount: req.body.amount, reason: req.body.reason, idempotencyKey: req.headers['idempotency-key'] },
      actingAdmin(req),
    );
    return ok({
      userId: result.userId,
      amount: formatMoney(result.amount, 2),
      reason: result.reason,
      ledgerSeq: result.seq,
      balanceBefore: formatMoney(result.balanceBefore, 2),
      balanceAfter: formatMoney(result.balanceAfter, 2),
      at: result.at,
    });
  }),
  route(blockUser, async (req) => {
    const result = await blocking().blockAccount(req.params.id, { ...actingAdmin(req), reason: req.body.reason });
    return ok({ blocked: true, ...result });
  }),
  route(unblockUser, async (req) => {
    const result = await blocking().unblockAccount(req.params.id, { ...actingAdmin(req), ...(req.body.reason ? { reason: req.body.reason } : {}) });
    return ok({ blocked: false, ...result });
  }),
  keyActionRoute(suspendKey, 'suspend'),
  keyActionRoute(reactivateKey, 'reactivate'),
  keyActionRoute(revokeKey, 'revoke'),
  route(changeKeyLimits, async (req) => {
    const key = await changeLimits(keyManagement(), { userId: req.params.id, keyId: req.params.keyId, limits: req.body.limits }, actingAdmin(req));
    if (!key) throw notFound('API key');
    return ok(keyJson(key));
  }),
];

function keyActionRoute(operation: typeof suspendKey | typeof reactivateKey | typeof revokeKey, action: KeyAction): RouteImpl {
  return route(operation, async (req) => {
    const input = { userId: req.params.id, keyId: req.params.keyId, action, ...(req.body.reason ? { reason: req.body.reason } : {}) };
    const key = await actOnKey(keyManagement(), input, actingAdmin(req));
    if (!key) throw notFound('API key');
    return ok(keyJson(key));
  });
}

function keyJson(key: ApiKeyDetails) {
  return {
    id: key.keyId,
    prefix: key.prefix,
    ...(key.label ? { label: key.label } : {}),
    status: key.status,
    ...(key.statusReason ? { statusReason: key.statusReason } : {}),
    ...(key.tier ? { tier: key.tier } : {}),
    limits: key.limits ?? {},
    allowedIps: key.allowedIps ?? [],
    createdAt: key.createdAt,
    ...(key.updatedAt ? { updatedAt: key.updatedAt } : {}),
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
  };
}

function ledgerJson(entry: LedgerEntry) {
  return {
    seq: entry.seq,
    kind: entry.kind,
    amount: formatMoney(entry.amount, 2),
    balanceAfter: formatMoney(entry.balanceAfter, 2),
    reference: entry.reference,
    at: entry.at,
  };
}
