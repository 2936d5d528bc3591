// The attention queue (issue 11): one small item per order and reason (or per top-up in review) in the partition
// `ATTENTION`, raised where the marks are made (poller, sweeper, submit step, payment callbacks). Finalized or
// resolved subjects are dropped when the queue is read (the reader checks each subject), so nothing that settles an
// order has to write here.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AttentionItem, AttentionQueue } from '../../orders/ports.js';

/** The queue's one partition (a few hundred small items at most: what people have not dealt with yet). */
export const attentionItemKey = (itemKey: string) => ({ pk: 'ATTENTION', sk: itemKey });

/** `order#<id, 12 digits>#<reason>` or `topup#<id>#wrong_amount`: one item per subject and reason, whatever raises it twice. */
export function attentionKey(item: Pick<AttentionItem, 'orderId' | 'topUpId' | 'reason'>): string {
  return item.orderId !== undefined ? `order#${String(item.orderId).padStart(12, '0')}#${item.reason}` : `topup#${item.topUpId}#${item.reason}`;
}

export class DynamoAttentionQueue implements AttentionQueue {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Once per subject and reason while it is queued: raising it again keeps the first `since`. */
  async raise(item: AttentionItem): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...attentionItemKey(attentionKey(item)), entity: 'attention', ...item },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
