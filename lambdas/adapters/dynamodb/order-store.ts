// Orders in DynamoDB. Placing and finalizing move money, so both go through moveMoney's single transaction.
import { type AttributeValue, BatchGetItemCommand, type BatchGetItemCommandInput, type BatchGetItemCommandOutput, ConditionalCheckFailedException, QueryCommand as QueryItemsCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { setTimeout } from 'node:timers/promises';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { formatMoney, negate, micros } from '../../shared/money.js';
import type { Order, OrderPhase, OrderStatusView, ProviderProgress, Settlement } from '../../orders/domain/orders.js';
import type { OpenOrderSummary, OrderStore } from '../../orders/ports.js';
import type { Refill, RefillStatus } from '../../orders/domain/refills.js';
import { keys } from './keys.js';
import { TABLE_DESIGN } from './table-design.js';
import { moveMoney } from './wallet-transaction.js';

const index = TABLE_DESIGN.openOrdersIndex;
/** A workflow waits at most 180 days for an order's outcome; its token is kept a little longer. */
const TOKEN_KEPT_S = 190 * 24 * 3600;

export class DynamoOrderStore implements OrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async placeOrder(order: Order): Promise<void> {
    const companions = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.order(order.id), entity: 'order', ...order, openPk: keys.openOrders(order.providerId), openSk: order.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...(order.requestId
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.idempotency('add', `${order.ownerId}#${order.requestId}`), entity: 'idempotency', orderId: order.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(order.exclusiveLinkKey
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.exclusiveLink(order.exclusiveLinkKey), entity: 'exclusive-link', orderId: order.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
    ];
    const result = await moveMoney(this.db, this.tableName, {
      walletId: order.walletId,
      amount: negate(order.charge),
      kind: 'order_charge',
      reference: `order:${order.id}`,
      at: order.createdAt,
      companions,
    });
    if (result === 'already_applied') {
      if (order.requestId && (await this.findByRequestId(order.ownerId, order.requestId)) !== undefined) {
        throw new DomainError('already_applied', `Request ${order.requestId} already placed an order`);
      }
      if (order.exclusiveLinkKey) {
        throw new DomainError('link_busy', 'You have active order with this link. Please wait until order being completed.');
      }
      throw new DomainError('already_applied', `Order ${order.id} already exists`);
    }
  }

  async findByRequestId(ownerId: string, requestId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency('add', `${ownerId}#${requestId}`), ConsistentRead: true }),
    );
    return Item ? Number(Item.orderId) : undefined;
  }

  async getOrder(id: number): Promise<Order | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.order(id), ConsistentRead: true }));
    return Item ? toOrder(Item) : undefined;
  }

  async getOrders(ids: number[]): Promise<Map<number, Order>> {
    return this.readOrders(ids, {}, (item) => toOrder(unmarshall(item)));
  }

  async getOrderStatuses(ids: number[]): Promise<Map<number, OrderStatusView>> {
    return this.readOrders(ids, STATUS_PROJECTION, toStatusView);
  }

  // Items come in the wire format and `convert` reads them. A status view picks its dozen values directly: the
  // document client's conversion of 100 orders took about as long as the whole read of a single order.
  private async readOrders<T>(
    ids: number[],
    projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> },
    convert: (item: Record<string, AttributeValue>) => T,
  ): Promise<Map<number, T>> {
    const found = new Map<number, T>();
    const wanted = new Set(ids);
    const { ranges, singles } = planOrderReads([...wanted]);
    const keep = (item: Record<string, AttributeValue>) => {
      const id = Number(item.id?.N);
      if (wanted.has(id)) found.set(id, convert(item));
    };
    const chunks: number[][] = [];
    for (let i = 0; i < singles.length; i += 25) chunks.push(singles.slice(i, i + 25));
    await Promise.all([
      ...ranges.map(async ({ first, last, ids: rangeIds }) => {
        // A range with other orders in it: the filter keeps those off the wire (they are still read and billed).
        const filter =
          last - first + 1 > rangeIds.length
            ? { expression: `#id IN (${rangeIds.map((_, i) => `:id${i}`).join(', ')})`, values: Object.fromEntries(rangeIds.map((id, i) => [`:id${i}`, id])) }
            : undefined;
        const input = {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :page AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: marshall({ ':page': keys.orderPage(first), ':first': keys.order(first).sk, ':last': keys.order(last).sk, ...filter?.values }),
          ...projection,
          ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#id': 'id' } } : {}),
        };
        // Pages beyond the first only when the range holds over 1 MB (orders with long comment lists).
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const page = await this.db.send(new QueryItemsCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
          for (const item of page.Items ?? []) keep(item);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
      // Chunks of 25 read in parallel: the same read units as one 100-key batch, a quarter of the wait.
      ...chunks.map(async (chunk) => {
        const pages = batchGetPages(this.db, { RequestItems: { [this.tableName]: { Keys: chunk.map((id) => marshall(keys.order(id))), ...projection } } });
        for await (const page of pages) for (const item of page.Responses?.[this.tableName] ?? []) keep(item);
      }),
    ]);
    return found;
  }

  async beginSubmit(id: number, now: string): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET submitInFlight = :yes, submitAttempts = submitAttempts + :one, updatedAt = :now',
      // Only one submission may be under way: a second, overlapping run must not call the provider too.
      ConditionExpression: 'phase = :accepted AND attribute_not_exists(rejectedReason) AND attribute_not_exists(submitInFlight)',
      ExpressionAttributeValues: { ':yes': true, ':one': 1, ':now': now, ':accepted': 'accepted' },
    });
  }

  async markSubmitInFlight(id: number, now: string): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET submitInFlight = :yes, submitAttempts = submitAttempts + :one, updatedAt = :now',
      ConditionExpression: 'phase = :accepted AND attribute_not_exists(rejectedReason)',
      ExpressionAttributeValues: { ':yes': true, ':one': 1, ':now': now, ':accepted': 'accepted' },
    });
  }

  async recordSubmitted(id: number, externalOrderId: string, now: string): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET externalOrderId = :ext, phase = :submitted, updatedAt = :now REMOVE submitInFlight',
      ConditionExpression: 'phase = :accepted',
      ExpressionAttributeValues: { ':ext': externalOrderId, ':submitted': 'submitted', ':now': now, ':accepted': 'accepted' },
    });
  }

  async recordRejected(id: number, reason: string, now: string): Promise<void> {
    await this.conditionalUpdate(id, {
      UpdateExpression: 'SET rejectedReason = :reason, updatedAt = :now REMOVE submitInFlight',
      ConditionExpression: 'phase = :accepted',
      ExpressionAttributeValues: { ':reason': reason.slice(0, 500), ':now': now, ':accepted': 'accepted' },
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

  // The token has an item of its own: at up to 2 KB it would push the order past 1 KB, and every later write of the
  // order (progress, settlement) would cost twice the write units. Expiry (free TTL deletion) comes after the
  // longest wait of the workflow.
  async parkTaskToken(id: number, token: string, now: string): Promise<Order | undefined> {
    const expiresAt = Math.floor(Date.parse(now) / 1000) + TOKEN_KEPT_S;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.taskToken(id), entity: 'task-token', orderId: id, token, at: now, expiresAt } }));
    // Read after the write: a poller that ends the order after this read finds the token, one before it is seen here.
    const order = await this.getOrder(id);
    return order && order.phase !== 'finalized' ? order : undefined;
  }

  async getTaskToken(id: number): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.taskToken(id), ConsistentRead: true }));
    return Item ? String(Item.token) : undefined;
  }

  async requestCancel(id: number, now: string, whilePhase: OrderPhase): Promise<Order | undefined> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET cancelRequested = :yes, updatedAt = :now',
      // Before submission, only while no call to the provider is under way: otherwise the provider may have it.
      ConditionExpression: whilePhase === 'accepted' ? 'phase = :phase AND attribute_not_exists(submitInFlight)' : 'phase = :phase',
      ExpressionAttributeValues: { ':yes': true, ':now': now, ':phase': whilePhase },
    });
  }

  async releaseExclusiveLink(order: Order): Promise<void> {
    if (!order.exclusiveLinkKey) return;
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.exclusiveLink(order.exclusiveLinkKey),
          ConditionExpression: 'attribute_not_exists(pk) OR orderId = :id',
          ExpressionAttributeValues: { ':id': order.id },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async reserveRefill(orderId: number, at: string, cooldownStartsAfter: string): Promise<{ reserved: true; previous?: string } | { reserved: false }> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.order(orderId),
          UpdateExpression: 'SET lastRefillAt = :at',
          ConditionExpression: 'phase = :finalized AND (attribute_not_exists(lastRefillAt) OR lastRefillAt < :cooldown)',
          ExpressionAttributeValues: { ':at': at, ':finalized': 'finalized', ':cooldown': cooldownStartsAfter },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return typeof Attributes?.lastRefillAt === 'string' ? { reserved: true, previous: Attributes.lastRefillAt } : { reserved: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { reserved: false };
      throw error;
    }
  }

  async releaseRefill(orderId: number, at: string, previous?: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.order(orderId),
          UpdateExpression: previous ? 'SET lastRefillAt = :previous' : 'REMOVE lastRefillAt',
          ConditionExpression: 'lastRefillAt = :at',
          ExpressionAttributeValues: { ':at': at, ...(previous ? { ':previous': previous } : {}) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async putRefill(refill: Refill): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.refill(refill.id), entity: 'refill', ...refill }, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async getRefills(ids: number[]): Promise<Map<number, Refill>> {
    const found = new Map<number, Refill>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      const pages = batchGetPages(this.db, { RequestItems: { [this.tableName]: { Keys: unique.slice(i, i + 100).map((id) => marshall(keys.refill(id))) } } });
      for await (const page of pages) {
        for (const item of page.Responses?.[this.tableName] ?? []) {
          const { pk: _pk, sk: _sk, entity: _entity, ...refill } = unmarshall(item);
          found.set(Number(refill.id), refill as Refill);
        }
      }
    }
    return found;
  }

  async updateRefillStatus(id: number, status: RefillStatus, now: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.refill(id),
        UpdateExpression: 'SET #status = :status, checkedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':now': now },
      }),
    );
  }

  async recordProgress(id: number, progress: ProviderProgress, now: string): Promise<Order | undefined> {
    const values: Record<string, unknown> = { ':status': progress.status, ':now': now, ':submitted': 'submitted' };
    const sets = ['#status = :status', 'progressAt = :now', 'updatedAt = :now'];
    if (progress.startCount !== undefined) {
      sets.push('startCount = :startCount');
      values[':startCount'] = progress.startCount;
    }
    if (progress.remains !== undefined) {
      sets.push('remains = :remains');
      values[':remains'] = progress.remains;
    }
    return this.conditionalUpdate(id, {
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'phase = :submitted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    });
  }

  async finalize(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'> {
    const result = await this.settle(order, settlement, now);
    // Released after settlement; finalizeOrder releases it again on a rerun, in case this process stopped here.
    await this.releaseExclusiveLink(order);
    return result;
  }

  private async settle(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'> {
    const finalizeOrder = {
      Update: {
        TableName: this.tableName,
        Key: keys.order(order.id),
        UpdateExpression: 'SET #status = :status, phase = :finalized, remains = :remains, refunded = refunded + :refund, updatedAt = :now, finalizedAt = :now REMOVE openPk, openSk, submitInFlight',
        // The refund can never push the total refunded past the charge.
        ConditionExpression: 'phase <> :finalized AND refunded <= :maxRefundedBefore',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': settlement.status,
          ':finalized': 'finalized',
          ':remains': settlement.remains,
          ':refund': settlement.refund,
          ':now': now,
          ':maxRefundedBefore': order.charge - settlement.refund,
        },
      },
    };
    if (settlement.refund === 0) {
      try {
        await this.db.send(new UpdateCommand(finalizeOrder.Update));
        return 'applied';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'already_applied';
        throw error;
      }
    }
    return moveMoney(this.db, this.tableName, {
      walletId: order.walletId,
      amount: settlement.refund,
      kind: 'order_refund',
      reference: `order:${order.id}`,
      at: now,
      companions: [
        finalizeOrder,
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.idempotency('refund', `order#${order.id}#final`), entity: 'idempotency', amount: formatMoney(settlement.refund) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  }

  async listOpenOrders(providerId: string, cursor?: string): Promise<{ orders: OpenOrderSummary[]; cursor?: string }> {
    const response = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: 'openPk = :pk',
        ExpressionAttributeValues: { ':pk': keys.openOrders(providerId) },
        Limit: 100,
        ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) } : {}),
      }),
    );
    const orders = (response.Items ?? []).map(
      (item): OpenOrderSummary => ({
        id: Number(item.id),
        providerId: String(item.providerId),
        phase: item.phase,
        status: item.status,
        createdAt: String(item.createdAt),
        ...(item.externalOrderId !== undefined ? { externalOrderId: String(item.externalOrderId) } : {}),
        ...(item.startCount !== undefined ? { startCount: Number(item.startCount) } : {}),
        ...(item.remains !== undefined ? { remains: Number(item.remains) } : {}),
        ...(item.progressAt !== undefined ? { progressAt: String(item.progressAt) } : {}),
      }),
    );
    const next = response.LastEvaluatedKey ? Buffer.from(JSON.stringify(response.LastEvaluatedKey)).toString('base64url') : undefined;
    return { orders, ...(next ? { cursor: next } : {}) };
  }

  private async conditionalUpdate(id: number, update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>): Promise<Order | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: keys.order(id), ReturnValues: 'ALL_NEW', ...update }),
      );
      return Attributes ? toOrder(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}

/**
 * The pages of a BatchGetItem, in the wire format. Keys DynamoDB leaves unprocessed (it does so when throttled) are
 * asked for again after a growing, jittered pause, as AWS advises, rather than at once. (The SDK's paginator for
 * this takes only the low-level client class, not the document client that sends these commands.)
 */
async function* batchGetPages(db: DynamoDBDocumentClient, input: BatchGetItemCommandInput): AsyncGenerator<BatchGetItemCommandOutput> {
  let retries = 0;
  let requestItems = input.RequestItems;
  while (requestItems && Object.keys(requestItems).length > 0) {
    const page = await db.send(new BatchGetItemCommand({ ...input, RequestItems: requestItems }));
    yield page;
    requestItems = page.UnprocessedKeys;
    if (requestItems && Object.keys(requestItems).length > 0) await setTimeout(Math.min(1_000, 25 * 2 ** retries++) * (0.5 + Math.random() / 2));
  }
}

/**
 * How to read a set of orders: a Query over the id range of a page where the wanted ids are dense enough that the
 * range costs no more than reading them one by one (an item read costs a whole read unit, a Query a unit per 4 KB
 * read in all, and an order is well under 1 KB), and BatchGetItem for the rest.
 */
export function planOrderReads(ids: number[]): { ranges: OrderRange[]; singles: number[] } {
  const byPage = new Map<string, number[]>();
  for (const id of ids) {
    const page = keys.orderPage(id);
    const pageIds = byPage.get(page);
    if (pageIds) pageIds.push(id);
    else byPage.set(page, [id]);
  }
  const ranges: OrderRange[] = [];
  const singles: number[] = [];
  for (const pageIds of byPage.values()) {
    pageIds.sort((a, b) => a - b);
    const first = pageIds[0]!;
    const last = pageIds.at(-1)!;
    if (pageIds.length < MIN_IDS_FOR_RANGE || last - first + 1 > pageIds.length * MAX_RANGE_PER_WANTED_ID) {
      singles.push(...pageIds);
      continue;
    }
    ranges.push({ first, last, ids: pageIds });
  }
  return { ranges, singles };
}

/** Consecutive ids of one page, `ids` the wanted ones among them (at most a page, so within the 100 operands of IN). */
interface OrderRange {
  first: number;
  last: number;
  ids: number[];
}

const MIN_IDS_FOR_RANGE = 2;
/** At most this many orders read per wanted one: four orders of about 1 KB fit in one read unit of a Query. */
const MAX_RANGE_PER_WANTED_ID = 4;

// Only what a status answer shows, as whole top-level attributes: each one returned costs time per order, and
// nested paths cost more.
const STATUS_ATTRIBUTES = ['id', 'ownerId', 'charge', 'refunded', 'startCount', 'status', 'phase', 'remains', 'units', 'runs', 'serviceType', 'posts', 'expiry'] as const;
/** Of the names above, the DynamoDB reserved words, which an expression must name through a placeholder. */
const RESERVED: ReadonlySet<string> = new Set(['status']);
const STATUS_PROJECTION = {
  ProjectionExpression: STATUS_ATTRIBUTES.map((name) => (RESERVED.has(name) ? `#${name}` : name)).join(', '),
  ExpressionAttributeNames: Object.fromEntries([...RESERVED].map((name) => [`#${name}`, name])),
};

function toStatusView(item: Record<string, AttributeValue>): OrderStatusView {
  const number = (name: (typeof STATUS_ATTRIBUTES)[number]) => (item[name]?.N === undefined ? undefined : Number(item[name].N));
  const view: OrderStatusView = {
    id: Number(item.id?.N),
    ownerId: String(item.ownerId?.S),
    charge: micros(Number(item.charge?.N)),
    refunded: micros(Number(item.refunded?.N)),
    status: item.status?.S as OrderStatusView['status'],
    phase: item.phase?.S as OrderStatusView['phase'],
  };
  const serviceType = item.serviceType?.S as OrderStatusView['serviceType'];
  if (serviceType !== undefined) view.serviceType = serviceType;
  for (const name of ['startCount', 'remains', 'units', 'runs', 'posts'] as const) {
    const value = number(name);
    if (value !== undefined) view[name] = value;
  }
  if (item.expiry?.S !== undefined) view.expiry = item.expiry.S;
  return view;
}

function toOrder(item: Record<string, unknown>): Order {
  const { pk: _pk, sk: _sk, entity: _entity, openPk: _openPk, openSk: _openSk, finalizedAt: _fin, ...rest } = item;
  const order = rest as unknown as Order;
  return { ...order, charge: micros(Number(order.charge)), refunded: micros(Number(order.refunded)), ratePer1000: micros(Number(order.ratePer1000)) };
}

