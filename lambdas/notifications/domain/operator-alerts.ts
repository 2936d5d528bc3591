// What operators read about an event that needs a person: a subject and a few lines, built from the event's own
// fields one by one (never a provider's answer, a key or a token), each ending with where to look in
// docs/operations.md.
import type { CatalogueEvent, EventOf } from '../../events/catalogue.js';
import type { OperatorAlert } from '../../shared/ports.js';

const RUNBOOK = 'docs/operations.md';

const ATTENTION_WORDS = {
  overdue: "is open past its service's expected time",
  unknown_status: 'has had a status from its provider that Codex does not recognise',
  order_not_found: 'is unknown to its provider ("Incorrect order ID")',
  ambiguous_status: 'has an ambiguous status from its provider (Error, Fail, or Partial without remains) that no later answer settled',
} as const;

/** The alert for an event operators must hear about; undefined for every other event. */
export function operatorAlertOf(event: CatalogueEvent, stage: string): OperatorAlert | undefined {
  switch (event.type) {
    case 'provider.unhealthy':
      return providerUnhealthyAlert(event, stage);
    case 'order.needs_attention':
      return orderAttentionAlert(event, stage);
    default:
      return undefined;
  }
}

function providerUnhealthyAlert(event: EventOf<'provider.unhealthy'>, stage: string): OperatorAlert {
  const { providerId, reason, failureRate, since } = event.data;
  return {
    subject: `[codex ${stage}] Provider ${providerId} is failing`,
    text: [
      `Provider ${providerId} is judged unhealthy since ${since}.`,
      `${oneLine(reason)}.`,
      ...(failureRate !== undefined ? [`Failure rate: ${Math.round(failureRate * 100)}%.`] : []),
      'Its orders are not progressing while this lasts; new orders to it may fail to submit.',
      `What to do: ${RUNBOOK}, "provider.unhealthy".`,
      `Event ${event.id} at ${event.at}.`,
    ].join('\n'),
  };
}

function orderAttentionAlert(event: EventOf<'order.needs_attention'>, stage: string): OperatorAlert {
  const { order, reason, since } = event.data;
  const words = ATTENTION_WORDS[reason];
  return {
    subject: `[codex ${stage}] Order ${order.orderId} needs attention: ${reason.replace('_', ' ')}`,
    text: [
      `Order ${order.orderId} ${words}, since ${since}.`,
      `Placed ${order.createdAt} by user ${order.ownerId}; service ${order.serviceId}, quantity ${order.quantity}.`,
      `Status ${order.status}, remains ${order.remains ?? 'unknown'}, charge ${order.charge} ${order.currency} (refunded ${order.refunded}).`,
      `What to do: ${RUNBOOK}, "order.needs_attention" (${reason}).`,
      `Event ${event.id} at ${event.at}.`,
    ].join('\n'),
  };
}

/** A consumer's dead-letter queue received a message: some event was not handled after every retry. */
export function deadLetterAlert(queue: string, messageId: string, at: string, stage: string): OperatorAlert {
  return {
    subject: `[codex ${stage}] Dead letters in ${queue}`,
    text: [
      `A message (${messageId}) moved to the dead-letter queue of ${queue} at ${at}: an event was not handled after every retry.`,
      `What to do: ${RUNBOOK}, "Dead-letter queues".`,
    ].join('\n'),
  };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/\.$/, '').slice(0, 500);
