// REST v1 operations: top-ups (paying money in through a payment gateway).
import * as z from 'zod/mini';
import { operation } from '../operation.js';
import { Cursor, Money, money, page, Timestamp, wholeNumberText } from './common.js';

export const TopUpStatus = z.enum(['pending', 'paid', 'cancelled', 'failed', 'expired', 'review']).register(z.globalRegistry, {
  description:
    'pending until the gateway confirms; paid once the balance is credited (final); cancelled or failed; expired when the ' +
    'checkout was not paid in time (a late payment still credits it); review when the amount paid was wrong: support settles it',
});

export const TopUp = z
  .object({
    id: z.string(),
    status: TopUpStatus,
    amount: Money,
    currency: z.string().register(z.globalRegistry, { example: 'USD' }),
    method: z.string().register(z.globalRegistry, { example: 'cryptomus' }),
    checkoutUrl: z.nullable(z.string()).register(z.globalRegistry, { description: 'Where to pay, while the top-up is pending' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    expiresAt: Timestamp,
    creditedAt: z.optional(Timestamp),
    promoCode: z.optional(z.string().register(z.globalRegistry, { description: 'The promo code applied when the top-up was made' })),
    bonus: z.optional(money('The bonus the promo code promises; credited with the deposit while the code has uses left')),
    bonusCredited: z.optional(money('The bonus credited with the deposit (0 when the code was used up meanwhile)')),
  })
  .register(z.globalRegistry, { id: 'TopUp', description: 'A payment into the balance' });

export const CreateTopUp = z
  .object({
    amount: z
      .string()
      .check(z.maxLength(32))
      .register(z.globalRegistry, { description: 'Decimal amount in the balance currency, at most 2 decimals', example: '25.00' }),
    method: z.string().check(z.maxLength(32)).register(z.globalRegistry, { description: 'A payment method this deployment offers', example: 'cryptomus' }),
    promoCode: z.optional(
      z.string().check(z.maxLength(64)).register(z.globalRegistry, { description: 'A promo code: a bonus credited with the deposit', example: 'WELCOME10' }),
    ),
  })
  .register(z.globalRegistry, { id: 'CreateTopUp' });

const TopUpId = z.object({ id: z.string().check(z.maxLength(64)) });

export const createTopUpOperation = operation({
  method: 'POST',
  path: '/api/v1/top-ups',
  auth: 'customerJwt',
  tag: 'Top-ups',
  summary: 'Start a top-up',
  description:
    'Creates a pending top-up and the gateway payment; send the customer to `checkoutUrl`. The balance is credited once the ' +
    'gateway confirms the payment. Refused below the minimum deposit and above the maximum, naming the field.',
  body: CreateTopUp,
  responses: { 201: { description: 'The pending top-up', body: TopUp } },
  errors: [401, 403, 503],
  unverifiedAllowed: false,
});

export const listTopUpsOperation = operation({
  method: 'GET',
  path: '/api/v1/top-ups',
  auth: 'customerJwt',
  tag: 'Top-ups',
  summary: 'Your top-ups, newest first',
  query: z.object({ cursor: z.optional(Cursor), limit: z.optional(wholeNumberText(1, 100)) }),
  responses: { 200: { description: 'A page of top-ups', body: page(TopUp) } },
  errors: [401, 403],
});

export const getTopUpOperation = operation({
  method: 'GET',
  path: '/api/v1/top-ups/{id}',
  auth: 'customerJwt',
  tag: 'Top-ups',
  summary: 'One of your top-ups',
  params: TopUpId,
  responses: { 200: { description: 'The top-up', body: TopUp } },
  errors: [401, 403, 404],
});

export const topUpsOperations = [createTopUpOperation, listTopUpsOperation, getTopUpOperation] as const;
