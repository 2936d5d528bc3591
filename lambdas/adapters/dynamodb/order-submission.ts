// The part of the order store that submits an order to its provider and records what came of it (and the customer's
// wish to cancel). Apart from the money paths (order-store.ts), so that the admin API's order actions carry none of them.
import type { ProviderMapping } from '../../catalog/domain/catalog.js';
import type { Order, OrderPhase } from '../../orders/domain/orders.js';
import { keys } from './keys.js';
import { DynamoOrderProgress } from './order-progress.js';
import { putProviderOrderLookup } from './provider-order-lookup.js';

export class DynamoOrderSubmission extends DynamoOrderProgress {
  async beginSubmit(id: number, now: string): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET submitInFlight = :yes, submitAttempts = submitAttempts + :one, updatedAt = :now',
      // Only one submission may be under way: a second, overlapping run must not call the provider too.
      ConditionExpression:
        'phase = :accepted AND attribute_not_exists(rejectedReason) AND attribute_not_exists(submitInFlight) AND attribute_not_exists(heldAt)',
      ExpressionAttributeValues: { ':yes': true, ':one': 1, ':now': now, ':accepted': 'accepted' },
    });
  }

  async markSubmitInFlight(id: number, now: string): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET submitInFlight = :yes, submitAttempts = submitAttempts + :one, updatedAt = :now',
      // Not once held for a person: from then on only their resend calls the provider.
      ConditionExpression: 'phase = :accepted AND attribute_not_exists(rejectedReason) AND attribute_not_exists(heldAt)',
      ExpressionAttributeValues: { ':yes': true, ':one': 1, ':now': now, ':accepted': 'accepted' },
    });
  }

  async recordSubmitted(order: Pick<Order, 'id' | 'providerId'>, externalOrderId: string, now: string): Promise<Order | undefined> {
    // Before the order, not in a transaction with it (which would cost 3 more write units and a read for the order's
    // new state): a lookup whose order did not get the id finds nothing to move (callbacks check the order's own id).
    await putProviderOrderLookup(this.db, this.tableName, order.providerId, externalOrderId, order.id);
    return this.conditionalUpdate(order.id, {
      UpdateExpression: 'SET externalOrderId = :ext, phase = :submitted, updatedAt = :now REMOVE submitInFlight, heldAt',
      // Still at the provider that took it: an order moved elsewhere meanwhile must not get this provider's id.
      ConditionExpression: 'phase = :accepted AND providerId = :provider',
      ExpressionAttributeValues: { ':ext': externalOrderId, ':submitted': 'submitted', ':now': now, ':accepted': 'accepted', ':provider': order.providerId },
    });
  }

  async recordRejected(id: number, reason: string, now: string): Promise<void> {
    await this.conditionalUpdate(id, {
      UpdateExpression: 'SET rejectedReason = :reason, updatedAt = :now REMOVE submitInFlight',
      ConditionExpression: 'phase = :accepted',
      ExpressionAttributeValues: { ':reason': reason.slice(0, 500), ':now': now, ':accepted': 'accepted' },
    });
  }

  async reassignProvider(
    id: number,
    fromProviderId: string,
    to: ProviderMapping,
    reason: string,
    now: string,
    afterRefusal: boolean,
  ): Promise<Order | undefined> {
    const cost = costOf(to);
    return this.conditionalUpdate(id, {
      UpdateExpression: `SET providerId = :to, providerServiceId = :service, openPk = :openPk, reassignments = list_append(if_not_exists(reassignments, :none), :moved), updatedAt = :now${cost.set} REMOVE submitInFlight${cost.remove}`,
      ConditionExpression: `phase = :accepted AND providerId = :from AND attribute_not_exists(rejectedReason)${afterRefusal ? '' : ' AND attribute_not_exists(submitInFlight)'}`,
      ExpressionAttributeValues: {
        ':to': to.providerId,
        ':service': to.providerServiceId,
        ':openPk': keys.openOrders(to.providerId),
        ':none': [],
        ':moved': [{ from: fromProviderId, to: to.providerId, reason: reason.slice(0, 300), at: now }],
        ':now': now,
        ':accepted': 'accepted',
        ':from': fromProviderId,
        ...cost.values,
      },
    });
  }

  async holdUnconfirmed(id: number, now: string): Promise<void> {
    await this.conditionalUpdate(id, {
      UpdateExpression: 'SET heldAt = :now, updatedAt = :now',
      ConditionExpression: 'phase = :accepted AND attribute_exists(submitInFlight)',
      ExpressionAttributeValues: { ':now': now, ':accepted': 'accepted' },
    });
  }

  async countResubmitRound(id: number, now: string): Promise<void> {
    await this.conditionalUpdate(id, {
      UpdateExpression: 'SET updatedAt = :now ADD resubmitRounds :one',
      ConditionExpression: 'phase = :accepted',
      ExpressionAttributeValues: { ':now': now, ':one': 1, ':accepted': 'accepted' },
    });
  }

  async clearSubmitInFlight(id: number, now: string): Promise<void> {
    await this.conditionalUpdate(id, {
      UpdateExpression: 'SET updatedAt = :now REMOVE submitInFlight',
      ConditionExpression: 'phase = :accepted',
      ExpressionAttributeValues: { ':now': now, ':accepted': 'accepted' },
    });
  }

  async requestCancel(id: number, now: string, whilePhase: OrderPhase): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET cancelRequested = :yes, updatedAt = :now',
      // Before submission, only while no call to the provider is under way: otherwise the provider may have it.
      ConditionExpression: whilePhase === 'accepted' ? 'phase = :phase AND attribute_not_exists(submitInFlight)' : 'phase = :phase',
      ExpressionAttributeValues: { ':yes': true, ':now': now, ':phase': whilePhase },
    });
  }
}

/** The order's cost follows its provider (finance, reconciliation): the mapping's cost, or none when it has none. */
export function costOf(mapping: Pick<ProviderMapping, 'costPer1000'>): { set: string; remove: string; values: Record<string, unknown> } {
  return mapping.costPer1000 !== undefined
    ? { set: ', costPer1000 = :cost', remove: '', values: { ':cost': mapping.costPer1000 } }
    : { set: '', remove: ', costPer1000', values: {} };
}
