// deliverWebhooks: each order event of the bus to its owner's webhook (application/webhook-delivery.ts). A failed
// attempt comes back after its retry delay (RetryLater); everything else ends the message.
import { RetryLater, eventConsumer } from '../../events/consumer.js';
import { logger } from '../../shared/logger.js';
import { type DeliveryDeps, type OrderEvent, WEBHOOK_CONSUMER, deliverOrderEvent } from '../application/webhook-delivery.js';
import { isOrderWebhookEvent } from '../domain/webhooks.js';
import { webhookDeliveryDeps } from '../webhook-delivery-wiring.js';
import { observe } from '../../shared/observability/observe.js';

export function webhookConsumer(deps: () => DeliveryDeps) {
  return eventConsumer(WEBHOOK_CONSUMER, async (event) => {
    if (!isOrderWebhookEvent(event.type)) return;
    const order = event as OrderEvent;
    const result = await deliverOrderEvent(deps(), order);
    if (result.kind === 'retry') throw new RetryLater(result.delaySeconds, result.reason);
    // Every attempt is in the delivery records; the log tells only of the end of the retries.
    if (result.kind === 'dead_lettered')
      logger.warn('a webhook delivery failed its last attempt', { eventId: order.id, userId: order.data.ownerId, attempt: result.attempt });
  });
}

export const handler = observe(webhookConsumer(webhookDeliveryDeps));
