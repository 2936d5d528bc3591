// The marks of orders that need a person (AttentionMarks): `attention.<reason>` on the order item, set once per reason
// while the order is open. The table's stream publishes each new mark as order.needs_attention (events/from-stream.ts).
// Each mark also raises the order in the admin API's attention queue (attention-queue.ts).
// Apart from the order store so that the functions that never mark (both APIs, the workflow steps) do not carry it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttentionReason } from '../../events/catalogue.js';
import type { AttentionMarks } from '../../orders/ports.js';
import { DynamoAttentionQueue } from './attention-queue.js';
import { keys } from './keys.js';

export class DynamoAttentionMarks implements AttentionMarks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markAttention(id: number, reason: AttentionReason, since: string, now: string): Promise<boolean> {
    // The admin API's attention queue first (one Put, harmless to repeat): a mark written without it would never be
    // queued, since a mark is made once. An item whose order is settled meanwhile is dropped when the queue is read.
    await new DynamoAttentionQueue(this.db, this.tableName).raise({ reason, since, orderId: id });
    // Only open orders (they carry openPk). The first reason creates the map, a later one adds to it: a path inside a
    // map that does not exist cannot be set, and one expression cannot both create the map and set inside it.
    const write = (update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>) =>
      this.db.send(new UpdateCommand({ TableName: this.tableName, Key: keys.order(id), ...update })).then(
        () => true,
        (error: unknown) => {
          if (error instanceof ConditionalCheckFailedException) return false;
          throw error;
        },
      );
    const created = await write({
      UpdateExpression: 'SET attention = :attention, updatedAt = :now',
      ConditionExpression: 'attribute_exists(openPk) AND attribute_not_exists(attention)',
      ExpressionAttributeValues: { ':attention': { [reason]: since }, ':now': now },
    });
    return (
      created ||
      write({
        UpdateExpression: 'SET attention.#reason = :since, updatedAt = :now',
        ConditionExpression: 'attribute_exists(openPk) AND attribute_exists(attention) AND attribute_not_exists(attention.#reason)',
        ExpressionAttributeNames: { '#reason': reason },
        ExpressionAttributeValues: { ':since': since, ':now': now },
      })
    );
  }
}
