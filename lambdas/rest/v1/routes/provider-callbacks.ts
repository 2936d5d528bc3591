// REST v1 implementation: providers' pushed status callbacks.
import { type PushedStatus, receiveProviderCallback } from '../../../orders/application/provider-callbacks.js';
import { providerCallbackServices } from '../../../orders/wiring.js';
import { providerCallbackOperation } from '../contract/provider-callbacks.js';
import { DomainError } from '../../../shared/errors.js';
import { ok, RestError, type RouteImpl, route } from '../http.js';

const REFUSALS = {
  missing_headers: 'Sign the callback (webhook-id, webhook-timestamp, webhook-signature)',
  stale: 'The callback is signed too far from our clock (±5 minutes)',
  bad_signature: "The callback's signature is not valid",
};

export const providerCallbacksRoutes: readonly RouteImpl[] = [
  route(providerCallbackOperation, async (req) => {
    // The contract checked the shape: one answer with its `order`, or answers keyed by order id.
    const body = req.body as { order?: string | number; orders?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
    const batch = body.orders !== undefined;
    const statuses: PushedStatus[] = body.orders
      ? Object.entries(body.orders).map(([order, answer]) => ({ order, answer }))
      : [{ order: String(body.order), answer: body }];
    const result = await receiveProviderCallback(providerCallbackServices(), {
      providerId: req.params.providerId,
      rawBody: req.rawBody,
      headers: req.allHeaders,
      statuses,
      batch,
    });
    switch (result.kind) {
      case 'applied':
        return ok({ orders: result.results });
      case 'not_accepted':
        throw new RestError(404, 'not_found', 'This provider does not send callbacks');
      case 'unavailable':
        throw new DomainError('callbacks_unavailable', 'Callbacks cannot be checked right now; send again later');
      case 'refused':
        throw new DomainError('invalid_signature', REFUSALS[result.refusal]);
      case 'invalid':
        throw new DomainError('invalid_request', `${result.field}: ${result.message}`, result.field);
      case 'unknown_order':
        throw new DomainError('unknown_order', 'No order of this provider has that id');
    }
  }),
];
