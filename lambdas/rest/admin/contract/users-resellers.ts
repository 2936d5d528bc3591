// Admin API (/admin/v1): onboarding a reseller and its pricing, served apart (adminResellers: the pepper, the bundle
// budget). Admins only (lambdas/admin/domain/permissions.ts).
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';
import { money, Timestamp } from '../../v1/contract/common.js';
import { Limit, TAG, Tier, UserParams } from './users-common.js';

const Pricing = z.object({
  tier: z.string(),
  discountPercent: z.string(),
  rates: z.record(z.string(), z.string()),
  updatedAt: z.optional(Timestamp),
});

export const onboardReseller = {
  method: 'POST',
  path: '/admin/v1/users',
  auth: 'adminCognito',
  tag: TAG,
  summary: 'Onboard a reseller: account, wallet, tier and a first API key (its API Gateway usage key follows)',
  description:
    'The API key is in the 201 answer only: store it. `usageKey` is `pending` until the API Gateway usage key is in the ' +
    "tier's usage plan, about a second later (GET /admin/v1/users/{id} shows `ready`). The email makes the request idempotent: sent again, the answer is " +
    '200 with the account and no key (an onboarding stopped on the way is finished instead, 201). 409 `email_taken` ' +
    'when a customer account holds the email.',
  body: z.object({
    email: z.string().check(z.maxLength(254)),
    tier: z.optional(Tier),
    keyLabel: z.optional(z.string().check(z.maxLength(100))),
    keyLimits: z.optional(z.object({ requestsPerMinute: z.optional(Limit), dailyOrderQuota: z.optional(Limit) })),
  }),
  responses: { 201: { description: 'Onboarded; `apiKey` is shown this once' }, 200: { description: 'The email already had this reseller account' } },
  errors: [409],
} as const satisfies Operation;

export const setPricing = {
  method: 'PUT',
  path: '/admin/v1/users/{id}/pricing',
  auth: 'adminCognito',
  tag: TAG,
  summary: "A reseller's tier and wholesale prices",
  description:
    'Orders (/api/v2 `add`, POST /api/v1/orders) pay the custom rate of their service, else the catalog rate less ' +
    "`discountPercent` (rounded down to a micro-unit, in the reseller's favour). Replaces the whole pricing. Takes " +
    'effect within 30 s (each container caches it).',
  params: UserParams,
  body: z.object({
    tier: Tier,
    discountPercent: z.optional(z.string().check(z.maxLength(8))),
    rates: z.optional(z.record(z.string().check(z.maxLength(12)), money('Rate per 1,000 (per package for packages)'))),
  }),
  responses: { 200: { description: 'The pricing as it now is', body: Pricing } },
  errors: [404],
} as const satisfies Operation;

export const resellersOperations: readonly Operation[] = [onboardReseller, setPricing];
