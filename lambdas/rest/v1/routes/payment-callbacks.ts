// REST v1 implementations: the payment gateways' callbacks.
import { handleCallback } from '../../../payments/application/handle-callback.js';
import type { PaymentMethod } from '../../../payments/domain/top-ups.js';
import { attentionQueue, paymentGateways, topUpStore } from '../../../payments/wiring.js';
import { systemClock } from '../../../shared/platform/config.js';
import { metricsRecorder } from '../../../shared/platform/metrics.js';
import { cryptomusCallbackOperation, demoCallbackOperation } from '../contract/payment-callbacks.js';
import { ok, type RestRequest, RestError, type RouteImpl, route } from '../http.js';
import type { Operation } from '../operation.js';

async function receive(method: PaymentMethod, req: RestRequest<Operation>) {
  const result = await handleCallback(
    { store: topUpStore(), gateways: paymentGateways(), clock: systemClock, attention: attentionQueue(), metrics: metricsRecorder() },
    method,
    req.rawBody,
    req.allHeaders,
  );
  if (result.accepted) return ok({ received: true, verdict: result.verdict });
  switch (result.refusal) {
    case 'method_not_offered':
      throw new RestError(404, 'not_found', 'No such operation');
    case 'bad_signature':
      throw new RestError(401, 'invalid_signature', `The callback's signature is not valid: ${result.detail}`);
    case 'not_confirmed':
      throw new RestError(409, 'payment_not_confirmed', result.detail);
    default:
      throw new RestError(400, 'callback_refused', result.detail);
  }
}

export const paymentCallbacksRoutes: readonly RouteImpl[] = [
  route(demoCallbackOperation, (req) => receive('demo', req)),
  route(cryptomusCallbackOperation, (req) => receive('cryptomus', req)),
];
