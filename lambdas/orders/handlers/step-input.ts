// What the state machine passes to the order workflow's Lambda steps. Trusted in shape, but still parsed.
import * as z from 'zod/mini';

export const OrderInput = z.object({ orderId: z.coerce.number().check(z.int(), z.positive()) });

export const GiveUpInput = z.extend(OrderInput, {
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});

export const AwaitInput = z.extend(OrderInput, { taskToken: z.string().check(z.minLength(1)) });
