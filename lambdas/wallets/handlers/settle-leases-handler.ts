// settleIdleLeases: balance leases settled off the orders' path (docs/wallet-concurrency.md), from two sources.
// - The table's stream: a lease its holder closed (used up, or half a minute old) is settled as soon as its listing
//   moves to the closed list (the mapping's filter passes those records only, lib/order-workflow.ts), so its orders'
//   charges reach the ledger within about a second. Leases settle in any order, and a settlement is idempotent: a
//   record taken again (a retry, or after a failed one before it) finds its lease settled.
// - Every minute: the sweep settles what the stream missed (a settlement that failed every retry) and the leases of
//   containers gone quiet (a Lambda container cannot act while idle).
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { keys } from '../../adapters/dynamodb/keys.js';
import { streamConsumer } from '../../events/stream-consumer.js';
import { logger } from '../../shared/logger.js';
import { observe } from '../../shared/observability/observe.js';
import { settleClosedLease, settleIdleLeases } from '../application/settle-idle-leases.js';
import type { OpenLease } from '../ports.js';
import { idleLeaseServices } from '../wiring.js';

/** The lease a listing names once its holder closed it; undefined for any other record. */
function closedLease(record: DynamoDBRecord): OpenLease | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'MODIFY' || image?.entity?.S !== 'lease-listing' || image.listPk?.S !== keys.closedLeases) return undefined;
  const walletId = image.walletId?.S;
  const leaseId = image.leaseId?.S;
  const takenAt = image.takenAt?.S;
  return walletId && leaseId && takenAt ? { walletId, leaseId, takenAt } : undefined;
}

const settleClosed = streamConsumer(
  () => async (record) => {
    const lease = closedLease(record);
    if (!lease) return;
    try {
      await settleClosedLease(idleLeaseServices(), lease);
    } catch (error) {
      logger.error('could not settle a closed balance lease: the sweep will', { walletId: lease.walletId, leaseId: lease.leaseId, error: error as Error });
      throw error;
    }
  },
  // A failed settlement holds up nobody behind it.
  { stopAtFailure: false },
);

const sweep = async () => {
  const result = await settleIdleLeases(idleLeaseServices());
  if (result.settled > 0) logger.info('idle balance leases settled', result);
  return result;
};

const isStreamEvent = (event: DynamoDBStreamEvent | ScheduledEvent): event is DynamoDBStreamEvent => Array.isArray((event as DynamoDBStreamEvent).Records);

export const handler = observe(
  (event: DynamoDBStreamEvent | ScheduledEvent, context: Context): Promise<DynamoDBBatchResponse | { settled: number; found: number }> =>
    isStreamEvent(event) ? settleClosed(event, context) : sweep(),
);
