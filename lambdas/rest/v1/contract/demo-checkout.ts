// REST v1 operations: the demo gateway's checkout page and its buttons (only where the demo gateway is enabled).
import * as z from 'zod/mini';
import { operation } from '../operation.js';

const html = (description: string) => ({ description, contentType: 'text/html' });
const CheckoutId = z.object({ id: z.string().check(z.maxLength(64)) });

export const demoCheckoutPageOperation = operation({
  method: 'GET',
  path: '/api/v1/payments/demo/checkout/{id}',
  auth: 'none',
  tag: 'Demo gateway',
  summary: 'The demo checkout page',
  description: 'An HTML page with the amount and two plain forms, Pay and Cancel. Only on stacks with the demo gateway.',
  params: CheckoutId,
  responses: { 200: html('The checkout page') },
  errors: [404],
});

const button = (action: 'pay' | 'cancel') =>
  operation({
    method: 'POST',
    path: `/api/v1/payments/demo/checkout/{id}/${action}`,
    auth: 'none',
    tag: 'Demo gateway',
    summary: action === 'pay' ? 'Pay the demo checkout' : 'Cancel the demo checkout',
    description: `The demo gateway sends its signed \`${action === 'pay' ? 'paid' : 'cancelled'}\` callback, then answers a page saying what happened.`,
    params: CheckoutId,
    body: z.object({}),
    bodyFormat: 'form',
    responses: { 200: html('What happened') },
    errors: [404],
  });

export const demoPayOperation = button('pay');
export const demoCancelOperation = button('cancel');

export const demoCheckoutOperations = [demoCheckoutPageOperation, demoPayOperation, demoCancelOperation] as const;
