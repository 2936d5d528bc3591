// REST v1 operations: the payment gateways' callbacks. Their bodies are read raw: the signature is over the bytes.
import * as z from 'zod/mini';
import { operation } from '../operation.js';

export const CallbackAnswer = z
  .object({ received: z.literal(true), verdict: z.string().register(z.globalRegistry, { example: 'credited' }) })
  .register(z.globalRegistry, { id: 'CallbackAnswer' });

const callback = (gateway: 'demo' | 'cryptomus', description: string) =>
  operation({
    method: 'POST',
    path: `/api/v1/payments/${gateway}/callback`,
    auth: 'none',
    tag: 'Payment gateways',
    summary: `Callback of the ${gateway} gateway`,
    description:
      `${description} Every callback is recorded. Forged, tampered, replayed (for another top-up) or wrong-currency callbacks ` +
      'are refused with 4xx and change nothing; an accepted or repeated one answers 200.',
    responses: { 200: { description: 'Accepted (or already handled)', body: CallbackAnswer } },
    errors: [401, 404, 409, 503],
  });

export const demoCallbackOperation = callback(
  'demo',
  'Signed with the demo secret: header `x-demo-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.',
);
export const cryptomusCallbackOperation = callback(
  'cryptomus',
  'Signed by Cryptomus inside the body (`sign`); confirmed with its payment-info call before any credit.',
);

export const paymentCallbacksOperations = [demoCallbackOperation, cryptomusCallbackOperation] as const;
