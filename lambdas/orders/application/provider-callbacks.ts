// A provider pushes the status of its orders: verify the signature with the provider's callback secret, find each of
// our orders by the provider's order id, and apply the report exactly as the poller applies the answer it asked for.
import { ProviderRejected } from '../../catalog/domain/provider-errors.js';
import { readStatusAnswer } from '../../catalog/domain/status-answer.js';
import { logger } from '../../shared/logger.js';
import type { SecretStore } from '../../shared/ports.js';
import { type CallbackRefusal, callbackSecrets, verifyCallback } from '../domain/provider-callback.js';
import type { ProviderProgress } from '../domain/orders.js';
import type { OrderProgressStore } from '../ports.js';
import type { OrderServices } from './order-services.js';
import { applyStatusReport, type ReportServices } from './status-reports.js';

export type CallbackServices = ReportServices & Pick<OrderServices, 'catalog' | 'clock'> & { orders: OrderProgressStore; secrets: SecretStore };

export interface PushedStatus {
  /** The provider's order id. */
  order: string;
  /** The v2 `status` answer of that order, as sent. */
  answer: Record<string, unknown>;
}

export interface ProviderCallback {
  providerId: string;
  /** The body as received: the signature is over these bytes. */
  rawBody: string;
  headers: Record<string, string>;
  statuses: PushedStatus[];
  /** `{"orders": {...}}`: unknown orders are reported per order instead of refusing the whole callback. */
  batch: boolean;
}

/** What became of one pushed status. */
export type PushedResult = 'updated' | 'unchanged' | 'unknown_order';

export type CallbackResult =
  | { kind: 'applied'; results: Record<string, PushedResult> }
  /** No such provider, or it does not push (no callback secret): the same answer, so nothing is learnt from it. */
  | { kind: 'not_accepted' }
  | { kind: 'unavailable' }
  | { kind: 'refused'; refusal: CallbackRefusal }
  | { kind: 'invalid'; field: string; message: string }
  | { kind: 'unknown_order' };

const PARALLEL = 10;

export async function receiveProviderCallback(services: CallbackServices, callback: ProviderCallback): Promise<CallbackResult> {
  const { providerId } = callback;
  const provider = await services.catalog.getProvider(providerId);
  // A disabled provider is not polled either: its orders move only once it is enabled again.
  if (!provider?.enabled || !provider.callbackSecretId) return { kind: 'not_accepted' };
  let stored: string;
  try {
    stored = await services.secrets.get(provider.callbackSecretId);
  } catch (error) {
    logger.error('provider callback secret unreadable', { providerId, error: (error as Error).name });
    return { kind: 'unavailable' };
  }
  const { secrets, malformed } = callbackSecrets(stored);
  if (malformed > 0) logger.error('provider callback secret malformed', { providerId, malformed });
  if (secrets.length === 0) return { kind: 'unavailable' };

  const now = services.clock.now();
  const verdict = verifyCallback(callback.headers, callback.rawBody, secrets, now);
  if (!verdict.ok) {
    logger.warn('provider callback refused', { providerId, refusal: verdict.refusal });
    return { kind: 'refused', refusal: verdict.refusal };
  }

  // Every status is read before any is applied: a callback is taken whole or refused whole.
  const reports: { order: string; progress: ProviderProgress }[] = [];
  for (const { order, answer } of callback.statuses) {
    try {
      const { status, doubtful, startCount, remains } = readStatusAnswer(answer, provider.statusMapping);
      reports.push({
        order,
        progress: {
          status,
          ...(doubtful ? { doubtful } : {}),
          ...(startCount !== undefined ? { startCount } : {}),
          ...(remains !== undefined ? { remains } : {}),
        },
      });
    } catch (error) {
      const field = callback.batch
        ? `orders.${order}.${error instanceof ProviderRejected ? 'error' : 'status'}`
        : error instanceof ProviderRejected
          ? 'error'
          : 'status';
      return { kind: 'invalid', field, message: error instanceof ProviderRejected ? 'Send the status of the order, not an error' : (error as Error).message };
    }
  }

  // A Map, then own properties: the ids are the provider's, and `__proto__` must stay a plain key.
  const results = new Map<string, PushedResult>();
  for (let i = 0; i < reports.length; i += PARALLEL) {
    const chunk = reports.slice(i, i + PARALLEL);
    const outcomes = await Promise.all(chunk.map(({ order, progress }) => applyOne(services, providerId, order, progress, now)));
    for (const [j, { order }] of chunk.entries()) results.set(order, outcomes[j]!);
  }
  const updated = [...results.values()].filter((r) => r === 'updated').length;
  logger.info('provider callback', { providerId, webhookId: verdict.id, orders: reports.length, updated });
  if (!callback.batch && [...results.values()][0] === 'unknown_order') return { kind: 'unknown_order' };
  return { kind: 'applied', results: Object.fromEntries(results) };
}

async function applyOne(services: CallbackServices, providerId: string, externalOrderId: string, progress: ProviderProgress, now: Date): Promise<PushedResult> {
  const orderId = await services.orders.findByProviderOrder(providerId, externalOrderId);
  const order = orderId === undefined ? undefined : await services.orders.getOrder(orderId);
  // The lookup is a hint: only an order that is this provider's, under this id, may be moved by its report. One whose
  // id is still being recorded (the lookup is written first) waits for nothing from it yet, as the poller's do.
  if (!order || order.providerId !== providerId) return 'unknown_order';
  if (order.externalOrderId === undefined && order.phase === 'accepted') return 'unchanged';
  if (order.externalOrderId !== externalOrderId) return 'unknown_order';
  const outcome = await applyStatusReport(services, order, progress, now, { via: 'callback', providerId });
  return outcome === 'unchanged' ? 'unchanged' : 'updated';
}
