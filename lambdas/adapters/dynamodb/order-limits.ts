// The order limits' counters: per owner, the orders not yet settled and what each UTC day's orders charged. Each is
// one small item changed by a conditional ADD, so a refusal writes nothing and two orders at once cannot both take
// the last place. A limit that is not configured is not counted at all.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { type Micros, formatMoney } from '../../shared/money.js';
import type { Order } from '../../orders/domain/orders.js';
import type { OrderLimits } from '../../orders/ports.js';
import { keys } from './keys.js';

export interface OrderLimitSettings {
  maxDailySpend?: Micros;
  maxActiveOrders?: number;
  currency: string;
}

const DAY_S = 86_400;
type Spend = Pick<Order, 'ownerId' | 'charge' | 'createdAt'>;

export class DynamoOrderLimits implements OrderLimits {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly settings: OrderLimitSettings,
  ) {}

  async reserve(order: Spend): Promise<void> {
    const { maxActiveOrders, maxDailySpend } = this.settings;
    if (maxActiveOrders !== undefined) {
      const taken = await this.add(keys.activeOrders(order.ownerId), 1, '(attribute_not_exists(#count) OR #count < :bound)', maxActiveOrders);
      if (!taken)
        throw new DomainError(
          'active_orders_limit',
          `You have ${maxActiveOrders} active orders, the most allowed at once; place more when some have completed`,
        );
    }
    if (maxDailySpend !== undefined) {
      const room = maxDailySpend - order.charge;
      const taken =
        room >= 0 && (await this.add(this.spendKey(order), order.charge, '(attribute_not_exists(#count) OR #count <= :bound)', room, this.spendExpiry(order)));
      if (!taken) {
        if (maxActiveOrders !== undefined) await this.orderEnded(order);
        throw new DomainError(
          'daily_spend_limit',
          `This order would take today's spending (UTC) past the daily limit of ${formatMoney(maxDailySpend, 2)} ${this.settings.currency}`,
        );
      }
    }
  }

  async release(order: Spend): Promise<void> {
    if (this.settings.maxActiveOrders !== undefined) await this.orderEnded(order);
    if (this.settings.maxDailySpend !== undefined && order.charge > 0)
      await this.add(this.spendKey(order), -order.charge, undefined, 0, this.spendExpiry(order));
  }

  async orderEnded(order: Pick<Order, 'ownerId'>): Promise<void> {
    if (this.settings.maxActiveOrders === undefined) return;
    // Never below zero: orders placed before the limit was configured were never counted.
    await this.add(keys.activeOrders(order.ownerId), -1, '#count > :bound', 0);
  }

  private spendKey(order: Spend) {
    return keys.dailySpend(order.ownerId, order.createdAt.slice(0, 10));
  }

  private spendExpiry(order: Spend): number {
    return Date.parse(`${order.createdAt.slice(0, 10)}T00:00:00Z`) / 1000 + 2 * DAY_S;
  }

  /** ADDs `by` to the item's count while the condition holds; false when it does not. */
  private async add(key: { pk: string; sk: string }, by: number, condition: string | undefined, bound: number, expiresAt?: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET entity = :entity${expiresAt !== undefined ? ', expiresAt = :expires' : ''} ADD #count :by`,
          ...(condition ? { ConditionExpression: condition } : {}),
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':entity': expiresAt !== undefined ? 'daily-spend' : 'active-orders',
            ':by': by,
            ...(condition ? { ':bound': bound } : {}),
            ...(expiresAt !== undefined ? { ':expires': expiresAt } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
