// The few writes the admin API's order actions make on an order before the spine's own steps take over (refuse it
// before or instead of a submission, point it at another provider), on top of the submission writes they share with
// the workflow. No money path here: settlement stays the workflow's Finalize step.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminOrderWrites } from '../../admin/orders-ports.js';
import type { ProviderMapping } from '../../catalog/domain/catalog.js';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { Order } from '../../orders/domain/orders.js';
import { auditPut } from './audit-log.js';
import { keys } from './keys.js';
import { costOf, DynamoOrderSubmission } from './order-submission.js';

export class DynamoAdminOrderWrites extends DynamoOrderSubmission implements AdminOrderWrites {
  rejectBeforeSubmission(id: number, reason: string, now: string): Promise<boolean> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET rejectedReason = :reason, updatedAt = :now',
      // No call under way, none refused: then no submit step can start one (it needs no rejectedReason).
      ConditionExpression: 'phase = :accepted AND attribute_not_exists(submitInFlight) AND attribute_not_exists(rejectedReason)',
      ExpressionAttributeValues: { ':reason': reason, ':now': now, ':accepted': 'accepted' },
    }).then(Boolean);
  }

  rejectUnconfirmed(id: number, reason: string, now: string): Promise<boolean> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET rejectedReason = :reason, updatedAt = :now REMOVE submitInFlight',
      ConditionExpression: 'phase = :accepted AND attribute_exists(submitInFlight)',
      ExpressionAttributeValues: { ':reason': reason, ':now': now, ':accepted': 'accepted' },
    }).then(Boolean);
  }

  prepareResend(id: number, fromProviderId: string, target: ProviderMapping, now: string): Promise<Order | undefined> {
    const cost = costOf(target);
    return this.conditionalUpdate(id, {
      UpdateExpression: `SET providerId = :provider, providerServiceId = :service, openPk = :open, submitInFlight = :yes, submitAttempts = submitAttempts + :one, updatedAt = :now${cost.set} REMOVE rejectedReason${cost.remove}`,
      // Only an order the workflow has left to a person (heldAt: it will not submit it again), still where it was read,
      // and never one whose customer asked to cancel it. heldAt stays: a refused or unclear resend leaves it held.
      ConditionExpression: 'phase = :accepted AND providerId = :current AND attribute_exists(heldAt) AND attribute_not_exists(cancelRequested)',
      ExpressionAttributeValues: {
        ':provider': target.providerId,
        ':service': target.providerServiceId,
        ':open': keys.openOrders(target.providerId),
        ':yes': true,
        ':one': 1,
        ':now': now,
        ':accepted': 'accepted',
        ':current': fromProviderId,
        ...cost.values,
      },
    });
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand(auditPut(this.tableName, entry).Put));
  }
}
