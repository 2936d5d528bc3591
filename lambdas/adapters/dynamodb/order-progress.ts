// The part of the order store that follows an order at its provider: read it, find it by the provider's order id,
// write its progress. Apart so that a function doing only that (provider callbacks) carries none of the money paths.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { micros, parseMoney } from '../../shared/money.js';
import type { Order, ProviderProgress } from '../../orders/domain/orders.js';
import type { OrderProgressStore } from '../../orders/ports.js';
import { keys } from './keys.js';
import { findProviderOrder } from './provider-order-lookup.js';

export class DynamoOrderProgress implements OrderProgressStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async getOrder(id: number): Promise<Order | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.order(id), ConsistentRead: true }));
    return Item ? toOrder(Item) : undefined;
  }

  findByProviderOrder(providerId: string, externalOrderId: string): Promise<number | undefined> {
    return findProviderOrder(this.db, this.tableName, providerId, externalOrderId);
  }

  async recordProgress(id: number, progress: ProviderProgress, now: string): Promise<Order | undefined> {
    return this.conditionalUpdate(id, progressUpdate(progress, now));
  }

  protected async conditionalUpdate(id: number, update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>): Promise<Order | undefined> {
    try {
      const { Attributes } = await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: keys.order(id), ReturnValues: 'ALL_NEW', ...update }));
      return Attributes ? toOrder(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}

/**
 * The write of a provider's progress to its order. An ended status is never overwritten: a late report (a callback
 * racing the poller) cannot reopen an order whose workflow was already resumed to settle it.
 */
export function progressUpdate(progress: ProviderProgress, now: string) {
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
  // What the provider says it charged us, for reconciliation: free, in the write that happens anyway.
  const providerCharge = chargeOf(progress.charge);
  if (providerCharge !== undefined) {
    sets.push('providerCharge = :providerCharge');
    values[':providerCharge'] = providerCharge;
    if (progress.currency) {
      sets.push('providerCurrency = :providerCurrency');
      values[':providerCurrency'] = progress.currency;
    }
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: 'phase = :submitted AND NOT (#status IN (:completed, :partial, :canceled))',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ...values, ':completed': 'Completed', ':partial': 'Partial', ':canceled': 'Canceled' },
  };
}

/** A provider's charge as micros; a value that is no plain amount (or has more than 6 decimals) is not recorded. */
function chargeOf(charge: string | undefined): number | undefined {
  if (charge === undefined) return undefined;
  try {
    return parseMoney(charge);
  } catch {
    return undefined;
  }
}

export function toOrder(item: Record<string, unknown>): Order {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    openPk: _openPk,
    openSk: _openSk,
    ownerPk: _ownerPk,
    ownerSk: _ownerSk,
    listPk: _listPk,
    listSk: _listSk,
    finalizedAt: _fin,
    ...rest
  } = item;
  const order = rest as unknown as Order;
  return { ...order, charge: micros(Number(order.charge)), refunded: micros(Number(order.refunded)), ratePer1000: micros(Number(order.ratePer1000)) };
}
