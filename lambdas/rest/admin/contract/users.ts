// Admin API (/admin/v1): users, resellers and their keys. Viewing is for admins and operators; everything that
// changes users, money, prices or keys is for admins (lambdas/admin/domain/permissions.ts).
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';
import { Cursor, money, Timestamp, wholeNumberText } from '../../v1/contract/common.js';
import { Limit, TAG, Tier, UserParams } from './users-common.js';

export { Limit, TAG, Tier, UserParams };

const KeyParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(100)), keyId: z.string().check(z.minLength(1), z.maxLength(100)) });
const Reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));

const ListedUser = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  balance: z.nullable(money('The wallet balance; null when the wallet cannot be read')),
  blocked: z.boolean(),
  createdAt: Timestamp,
});

const AdminApiKey = z.object({
  id: z.string(),
  prefix: z.string(),
  label: z.optional(z.string()),
  status: z.enum(['active', 'suspended', 'revoked']),
  statusReason: z.optional(z.string()),
  tier: z.optional(z.string()),
  limits: z.object({ requestsPerMinute: z.optional(z.number()), dailyOrderQuota: z.optional(z.number()) }),
  allowedIps: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: z.optional(Timestamp),
  lastUsedAt: z.optional(Timestamp),
});

export const listUsers = {
  method: 'GET',
  path: '/admin/v1/users',
  auth: 'adminCognito',
  tag: TAG,
  summary: 'Users by email prefix or id',
  description: '`q` matches the start of the (lower-cased) email, or a user id exactly. Without `q`, every user in email order.',
  query: z.object({ q: z.optional(z.string().check(z.maxLength(254))), cursor: z.optional(Cursor), limit: z.optional(wholeNumberText(1, 100)) }),
  responses: { 200: { description: 'A page of users', body: z.object({ items: z.array(ListedUser), nextCursor: z.nullable(z.string()) }) } },
} as const satisfies Operation;

export const getUser = {
  method: 'GET',
  path: '/admin/v1/users/{id}',
  auth: 'adminCognito',
  tag: TAG,
  summary: 'One user: profile, balance, order figures, keys, recent ledger entries and orders, pricing',
  params: UserParams,
  responses: { 200: { description: 'The user' } },
  errors: [404],
} as const satisfies Operation;

export const adjustBalance = {
  method: 'POST',
  path: '/admin/v1/users/{id}/adjustments',
  auth: 'adminCognito',
  tag: TAG,
  summary: 'Credit or debit a balance (ledger entry `adjustment`)',
  description:
    'Requires an Idempotency-Key header: the same key answers the first answer again and moves nothing (409 ' +
    '`idempotency_key_reused` for another amount or reason). A debit never takes the balance below zero (409 `insufficient_funds`).',
  params: UserParams,
  headers: z.object({ 'idempotency-key': z.string().check(z.trim(), z.minLength(1), z.maxLength(128)) }),
  body: z.object({ amount: money('Signed decimal: "25.00" credits, "-5.5" debits'), reason: Reason }),
  responses: {
    200: {
      description: 'The adjustment',
      body: z.object({
        userId: z.string(),
        amount: z.string(),
        reason: z.string(),
        ledgerSeq: z.number(),
        balanceBefore: z.string(),
        balanceAfter: z.string(),
        at: Timestamp,
      }),
    },
  },
  errors: [404, 409],
} as const satisfies Operation;

export const blockUser = {
  method: 'POST',
  path: '/admin/v1/users/{id}/block',
  auth: 'adminCognito',
  tag: TAG,
  summary: 'Block a user: no login, every session ended, every active API key suspended',
  params: UserParams,
  body: z.object({ reason: Reason }),
  responses: { 200: { description: 'Blocked', body: z.object({ blocked: z.boolean(), sessionsEnded: z.number(), keysSuspended: z.number() }) } },
  errors: [404],
} as const satisfies Operation;

export const unblockUser = {
  method: 'POST',
  path: '/admin/v1/users/{id}/unblock',
  auth: 'adminCognito',
  tag: TAG,
  summary: 'Unblock a user; reactivates the keys its block suspended (not keys suspended for another reason)',
  params: UserParams,
  body: z.object({ reason: z.optional(Reason) }),
  responses: { 200: { description: 'Unblocked', body: z.object({ blocked: z.boolean(), keysReactivated: z.number() }) } },
  errors: [404],
} as const satisfies Operation;

const keyAction = <const A extends string>(action: A, summary: string) =>
  ({
    method: 'POST',
    path: `/admin/v1/users/{id}/api-keys/{keyId}/${action}`,
    auth: 'adminCognito',
    tag: TAG,
    summary,
    params: KeyParams,
    body: z.object({ reason: z.optional(Reason) }),
    responses: { 200: { description: 'The key as it now is', body: AdminApiKey } },
    errors: [404],
  }) as const satisfies Operation;

export const suspendKey = keyAction('suspend', 'Suspend an API key');
export const reactivateKey = keyAction('reactivate', 'Reactivate a suspended API key');
export const revokeKey = keyAction('revoke', 'Revoke an API key (for good)');

export const changeKeyLimits = {
  method: 'PATCH',
  path: '/admin/v1/users/{id}/api-keys/{keyId}',
  auth: 'adminCognito',
  tag: TAG,
  summary: "Change an API key's own limits (null removes one: the tier's applies)",
  params: KeyParams,
  body: z.object({ limits: z.object({ requestsPerMinute: z.optional(z.nullable(Limit)), dailyOrderQuota: z.optional(z.nullable(Limit)) }) }),
  responses: { 200: { description: 'The key as it now is', body: AdminApiKey } },
  errors: [404],
} as const satisfies Operation;

export const usersOperations: readonly Operation[] = [
  listUsers,
  getUser,
  adjustBalance,
  blockUser,
  unblockUser,
  suspendKey,
  reactivateKey,
  revokeKey,
  changeKeyLimits,
];
