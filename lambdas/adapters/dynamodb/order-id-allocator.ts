// Order (and refill) ids come in blocks: one counter write reserves a block, so orders do not all hit one item.
// Ids are unique and increase within a container; across containers they interleave by block.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderIdAllocator } from '../../domain/ports.js';
import { keys } from './keys.js';

const FIRST_ORDER_ID = 10_000;

export class BlockOrderIdAllocator implements OrderIdAllocator {
  private nextId = 0;
  private lastId = -1;
  private refill: Promise<void> | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly blockSize: number,
    private readonly counterName = 'order-id',
    private readonly firstId = FIRST_ORDER_ID,
  ) {}

  async next(): Promise<number> {
    while (this.nextId > this.lastId) {
      this.refill ??= this.reserveBlock().finally(() => (this.refill = undefined));
      await this.refill;
    }
    return this.nextId++;
  }

  private async reserveBlock(): Promise<void> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter(this.counterName),
        UpdateExpression: 'SET #value = if_not_exists(#value, :start) + :block',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':start': this.firstId - 1, ':block': this.blockSize },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(Attributes?.value);
    this.nextId = last - this.blockSize + 1;
    this.lastId = last;
  }
}
