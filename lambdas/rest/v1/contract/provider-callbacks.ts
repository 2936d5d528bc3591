// REST v1 operation: upstream providers push the status of their orders (issue 10). The signature, not a key, is
// the authentication; the body is read raw as well, since the signature is over its bytes.
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';

/** Providers send ids and counts as numbers or strings (as in their v2 answers). */
const NumberOrText = z.union([z.string().check(z.maxLength(64)), z.number()]);
const ProviderOrderId = z.union([z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/)), z.int().check(z.nonnegative())]);

const StatusAnswer = z
  .looseObject({
    status: NumberOrText.register(z.globalRegistry, { description: 'A v2 status in any usual spelling or PerfectPanel number', example: 'Completed' }),
    start_count: z.optional(z.nullable(NumberOrText)),
    remains: z.optional(z.nullable(NumberOrText)),
    charge: z.optional(z.nullable(NumberOrText)),
    currency: z.optional(z.nullable(z.string())),
  })
  .register(z.globalRegistry, { id: 'ProviderStatusAnswer', description: "The provider's v2 `status` answer of one order" });

export const OneStatus = z.extend(StatusAnswer, {
  order: ProviderOrderId.register(z.globalRegistry, { description: "The provider's order id, as its `add` answered", example: '7781' }),
});

export const ManyStatuses = z.object({
  orders: z.record(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/)), StatusAnswer).check(
    z.refine((orders) => {
      const count = Object.keys(orders).length;
      return count >= 1 && count <= 100;
    }, 'Send 1 to 100 orders'),
  ),
});

const Result = z.enum(['updated', 'unchanged', 'unknown_order']);

export const ProviderCallbackAnswer = z
  .object({
    orders: z.record(z.string(), Result).register(z.globalRegistry, {
      description:
        '`updated`: the order moved; `unchanged`: nothing to write (already known, or the order has ended); `unknown_order`: not ours (batches only)',
    }),
  })
  .register(z.globalRegistry, { id: 'ProviderCallbackAnswer' });

export const providerCallbackOperation = {
  method: 'POST',
  path: '/api/v1/providers/{providerId}/callback',
  auth: 'none',
  tag: 'Providers',
  summary: 'A provider pushes the status of its orders',
  description:
    "For upstream providers we buy from, configured to push (docs/providers.md). The body is the provider's v2 `status` answer with its order id, " +
    '`{"order": "7781", "status": "Partial", "remains": "157", "start_count": "100", "charge": "0.27"}`, or up to 100 orders keyed by id, ' +
    '`{"orders": {"7781": {...}}}`. Signed by the Standard Webhooks scheme with the provider\'s `whsec_` callback secret: headers ' +
    '`webhook-id`, `webhook-timestamp` (unix seconds, within 5 minutes of our clock) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. ' +
    'A verified status moves the order exactly as our poller would (an ended order is settled and refunded once); repeating a callback changes nothing. ' +
    '401 for a missing, stale or wrong signature (checked before anything about orders is looked at); 404 for a provider that does not push, ' +
    "and for a single order that is not ours; 503 when the provider's secret cannot be read (send again later).",
  params: z.object({ providerId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)) }),
  body: z.union([OneStatus, ManyStatuses]),
  headers: z.looseObject({
    'webhook-id': z.optional(z.string().check(z.maxLength(256))),
    'webhook-timestamp': z.optional(z.string().check(z.maxLength(32))),
    'webhook-signature': z.optional(z.string().check(z.maxLength(2048))),
  }),
  responses: { 200: { description: 'Applied (or nothing to change)', body: ProviderCallbackAnswer } },
  errors: [401, 404, 503],
} as const satisfies Operation;

export const providerCallbacksOperations = [providerCallbackOperation] as const;
