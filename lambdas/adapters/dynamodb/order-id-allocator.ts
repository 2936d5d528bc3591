// Order (and refill) ids come in blocks: one counter write reserves a block, so orders do not all hit one item.
// Ids are unique; they increase per owner within a container, and interleave by block across owners' own blocks
// and across containers.
//
// An owner (a reseller's panel) gets blocks of its own from its first order, so its orders sit together in the
// pages of `keys.order` and its status checks read few pages and no foreign orders. That costs one counter write
// per 100 of an owner's orders in a container; a status check of orders spread over one more page would cost a read
// each time the panel polls, and panels poll every few minutes. Ids asked for without an owner share the
// container's block. A block given up unfinished (a container ends, an owner falls out of the table below) leaves a
// gap in the ids; nothing depends on ids being dense.
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderIdAllocator } from '../../orders/ports.js';
import { keys } from './keys.js';

const FIRST_ORDER_ID = 10_000;

export interface BlockAllocatorOptions {
  counterName?: string;
  firstId?: number;
  /** Ids an owner takes from the shared block before it gets blocks of its own (default 0: none). */
  ownBlockAfter?: number;
  /** Owners remembered per container, least recently served forgotten first. */
  maxOwners?: number;
}

/** A reserved range of ids, handed out from the bottom. */
class IdBlock {
  private nextId = 0;
  private lastId = -1;
  private reserving: Promise<void> | undefined;

  constructor(private readonly reserve: () => Promise<{ first: number; last: number }>) {}

  async take(): Promise<number> {
    while (this.nextId > this.lastId) {
      this.reserving ??= this.reserve()
        .then(({ first, last }) => {
          this.nextId = first;
          this.lastId = last;
        })
        .finally(() => (this.reserving = undefined));
      await this.reserving;
    }
    return this.nextId++;
  }
}

interface OwnerUse {
  takenFromShared: number;
  block?: IdBlock;
}

export class BlockOrderIdAllocator implements OrderIdAllocator {
  private readonly shared: IdBlock;
  private readonly owners = new Map<string, OwnerUse>();
  private readonly counterName: string;
  private readonly firstId: number;
  private readonly ownBlockAfter: number;
  private readonly maxOwners: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly blockSize: number,
    options: BlockAllocatorOptions = {},
  ) {
    this.counterName = options.counterName ?? 'order-id';
    this.firstId = options.firstId ?? FIRST_ORDER_ID;
    this.ownBlockAfter = options.ownBlockAfter ?? 0;
    // An owner forgotten and back reserves a fresh block (a counter write, and a gap when the old one was not used
    // up), so the table holds every owner a container is likely to serve: 10,000 entries are about 2 MB.
    this.maxOwners = options.maxOwners ?? 10_000;
    this.shared = new IdBlock(() => this.reserveBlock());
  }

  async next(ownerId?: string): Promise<number> {
    if (ownerId === undefined) return this.shared.take();
    const use = this.owners.get(ownerId) ?? { takenFromShared: 0 };
    // Most recently served last, so the first entry is the one to forget.
    this.owners.delete(ownerId);
    this.owners.set(ownerId, use);
    if (this.owners.size > this.maxOwners) this.owners.delete(this.owners.keys().next().value!);
    if (use.block) return use.block.take();
    if (use.takenFromShared >= this.ownBlockAfter) {
      use.block = new IdBlock(() => this.reserveBlock());
      return use.block.take();
    }
    use.takenFromShared++;
    return this.shared.take();
  }

  private async reserveBlock(): Promise<{ first: number; last: number }> {
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
    return { first: last - this.blockSize + 1, last };
  }
}
