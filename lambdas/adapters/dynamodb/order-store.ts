// Orders in DynamoDB. Placing commits through the wallet's group commit; finalizing moves money through moveMoney. Reading an
// order and writing its progress are in order-progress.ts.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { formatMoney } from '../../shared/money.js';
import type { Order, OrderStatusView, Settlement } from '../../orders/domain/orders.js';
import type { OpenOrderSummary, OrderStore, OrderSummary, OwnerOrdersQuery } from '../../orders/ports.js';
import { keys } from './keys.js';
import { freeActivePlace } from './order-limits.js';
import type { placeByGroupCommit } from './group-commit.js';
import { readOrders, STATUS_PROJECTION, toStatusView } from './order-reads.js';
import { listOwnerOrders } from './owner-orders.js';
import { toOrder } from './order-progress.js';
import { DynamoOrderSubmission } from './order-submission.js';
import { TABLE_DESIGN } from './table-design.js';
import { settleLeaseOf } from './balance-lease.js';
import { moveMoney } from './wallet-transaction.js';

const index = TABLE_DESIGN.openOrdersIndex;

/** How orders are placed: the group commit (group-commit.ts), given only by the functions that place orders. */
export type OrderPlacement = typeof placeByGroupCommit;

export class DynamoOrderStore extends DynamoOrderSubmission implements OrderStore {
  /** `placement` is absent in functions that place no orders, so their bundles leave the group commit out. */
  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    private readonly placement?: OrderPlacement,
  ) {
    super(db, tableName);
  }

  async placeOrder(order: Order, limit?: { maxActiveOrders: number }): Promise<void> {
    if (order.activeCounted && !limit) throw new Error(`Order ${order.id} is counted as active without a limit to count it against`);
    if (!this.placement) throw new Error('This order store was built without a placement: its function places no orders');
    // Orders of one wallet from many containers commit together: no race on the wallet's sequence.
    await this.placement(this.db, this.tableName, order, order.activeCounted ? limit : undefined);
  }

  async findByRequestId(ownerId: string, requestId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency('add', `${ownerId}#${requestId}`), ConsistentRead: true }),
    );
    return Item ? Number(Item.orderId) : undefined;
  }

  async getOrders(ids: number[]): Promise<Map<number, Order>> {
    return readOrders(this.db, this.tableName, ids, {}, (item) => toOrder(unmarshall(item)));
  }

  async getOrderStatuses(ids: number[]): Promise<Map<number, OrderStatusView>> {
    return readOrders(this.db, this.tableName, ids, STATUS_PROJECTION, toStatusView);
  }

  async finalize(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'> {
    return this.settle(order, settlement, now);
  }

  private async settle(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'> {
    const finalizeOrder = {
      Update: {
        TableName: this.tableName,
        Key: keys.order(order.id),
        UpdateExpression:
          'SET #status = :status, phase = :finalized, remains = :remains, refunded = refunded + :refund, updatedAt = :now, finalizedAt = :now REMOVE openPk, openSk, submitInFlight',
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
    // A counted order gives its place back in the settlement's own write: exactly once, as the settlement.
    const freePlace = order.activeCounted ? [freeActivePlace(this.tableName, order.ownerId)] : [];
    if (settlement.refund === 0 && freePlace.length === 0) {
      try {
        await this.db.send(new UpdateCommand(finalizeOrder.Update));
        return 'applied';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'already_applied';
        throw error;
      }
    }
    if (settlement.refund === 0) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [finalizeOrder, ...freePlace] }));
        return 'applied';
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'already_applied';
        throw error;
      }
    }
    // Its charge must be in the ledger before its refund: the lease that paid for it settles first.
    await settleLeaseOf(this.db, this.tableName, order, now);
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
        ...freePlace,
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

  listOwnerOrders(query: OwnerOrdersQuery): Promise<{ orders: OrderSummary[]; cursor?: string }> {
    return listOwnerOrders(this.db, this.tableName, query);
  }
}

export { toOrder };
