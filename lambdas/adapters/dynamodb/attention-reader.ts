// The admin API's side of the attention queue (AttentionReader): a page of the `ATTENTION` partition, the state of
// its subjects (orders read together from their pages, top-ups one by one), and the deletion of resolved items.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AttentionReader } from '../../admin/orders-ports.js';
import type { Order } from '../../orders/domain/orders.js';
import type { AttentionItem } from '../../orders/ports.js';
import { DomainError } from '../../shared/errors.js';
import { attentionItemKey } from './attention-queue.js';
import { batchGetAll, batchWriteAll } from './batches.js';
import { keys } from './keys.js';
import { readOrders } from './order-reads.js';
import { readingKey } from './pending-readings.js';

export class DynamoAttentionReader implements AttentionReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(page: { limit: number; cursor?: string }): Promise<{ items: (AttentionItem & { key: string })[]; cursor?: string }> {
    let start: Record<string, unknown> | undefined;
    if (page.cursor !== undefined) {
      const sk = Buffer.from(page.cursor, 'base64url').toString('utf8');
      if (!/^(order|topup)#/.test(sk)) throw new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
      start = { ...attentionItemKey(sk) };
    }
    const response = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': attentionItemKey('').pk },
        Limit: page.limit,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (response.Items ?? []).map((item) => {
      const { pk: _pk, sk, entity: _entity, ...rest } = item;
      return { ...(rest as AttentionItem), key: String(sk) };
    });
    const last = response.LastEvaluatedKey?.sk;
    return { items, ...(last ? { cursor: Buffer.from(String(last), 'utf8').toString('base64url') } : {}) };
  }

  orders(ids: number[]): Promise<Map<number, Pick<Order, 'phase' | 'status' | 'providerId'>>> {
    return readOrders(
      this.db,
      this.tableName,
      ids,
      { ProjectionExpression: 'id, phase, #status, providerId', ExpressionAttributeNames: { '#status': 'status' } },
      (item) => ({ phase: item.phase?.S as Order['phase'], status: item.status?.S as Order['status'], providerId: String(item.providerId?.S) }),
    );
  }

  async pendingReadings(orders: readonly { orderId: number; providerId: string }[]): Promise<Set<number>> {
    const found = new Set<number>();
    for (let i = 0; i < orders.length; i += 100) {
      const keysOf = orders.slice(i, i + 100).map(({ orderId, providerId }) => readingKey(providerId, orderId));
      const answer = await batchGetAll(this.db, { [this.tableName]: { Keys: keysOf, ProjectionExpression: 'orderId', ConsistentRead: true } });
      for (const item of answer[this.tableName] ?? []) found.add(Number(item.orderId));
    }
    return found;
  }

  async topUp(ownerId: string, id: string): Promise<{ status: string; creditedAt?: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.topUp(ownerId, id) }));
    return Item ? { status: String(Item.status), ...(Item.creditedAt ? { creditedAt: String(Item.creditedAt) } : {}) } : undefined;
  }

  async drop(itemKeys: string[]): Promise<void> {
    for (let i = 0; i < itemKeys.length; i += 25) {
      // Every delete applied: one left unprocessed (throttling) would keep a resolved item in the queue.
      await batchWriteAll(this.db, { [this.tableName]: itemKeys.slice(i, i + 25).map((sk) => ({ DeleteRequest: { Key: attentionItemKey(sk) } })) });
    }
  }
}
