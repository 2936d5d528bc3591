// The order limits' counters: per owner, the orders not yet settled and what each UTC day's orders charged. Each is
// one small item changed by a conditional ADD, so a refusal writes nothing and two orders at once cannot both take
// the last place. A limit that is not configured is not counted at all. The active-orders count is written inside
// the order's own transactions (placement and settlement: exactly once each); the daily spend is reserved before
// the order and given back when no order results (a give-back lost to a crash only makes that day stricter).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { type Micros, formatMoney } from '../../shared/money.js';
import type { Order } from '../../orders/domain/orders.js';
import type { OrderLimits } from '../../orders/ports.js';
import { keys } from './keys.js';

export interface OrderLimitSettings {
  maxDailySpend?: Micros;
  /** The daily spend limit in force now (settings over MAX_DAILY_SPEND, cached); `maxDailySpend` when absent. */
  currentMaxDailySpend?: () => Promise<Micros | undefined>;
  maxActiveOrders?: number;
  currency: string;
}

const DAY_S = 86_400;
const CONFLICT_ATTEMPTS = 5;
type Spend = Pick<Order, 'ownerId' | 'charge' | 'createdAt'>;

/** The refusal of an order past the active-orders limit (the order store's transaction decides it). */
export function activeOrdersRefusal(maxActiveOrders: number): DomainError {
  return new DomainError('active_orders_limit', `You have ${maxActiveOrders} active orders, the most allowed at once; place more when some have completed`);
}

/** The active-orders count's item in an order's transaction: one more place, while fewer than `max` are taken. */
export function takeActivePlace(tableName: string, ownerId: string, max: number) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.activeOrders(ownerId),
      UpdateExpression: 'SET entity = :entity ADD #count :one',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':entity': 'active-orders', ':one': 1, ':max': max },
    },
  };
}

/** The give-back of a counted order's place, in its settlement's transaction (exactly once, as the settlement). */
export function freeActivePlace(tableName: string, ownerId: string) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.activeOrders(ownerId),
      UpdateExpression: 'ADD #count :minusOne',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':minusOne': -1 },
    },
  };
}

export class DynamoOrderLimits implements OrderLimits {
  readonly maxActiveOrders?: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly settings: OrderLimitSettings,
  ) {
    if (settings.maxActiveOrders !== undefined) this.maxActiveOrders = settings.maxActiveOrders;
  }

  private async maxDailySpend(): Promise<Micros | undefined> {
    return this.settings.currentMaxDailySpend ? this.settings.currentMaxDailySpend() : this.settings.maxDailySpend;
  }

  async reserve(order: Spend): Promise<void> {
    const maxDailySpend = await this.maxDailySpend();
    if (maxDailySpend === undefined) return;
    const room = maxDailySpend - order.charge;
    const taken =
      room >= 0 && (await this.add(this.spendKey(order), order.charge, '(attribute_not_exists(#count) OR #count <= :bound)', room, this.spendExpiry(order)));
    if (!taken) {
      throw new DomainError(
        'daily_spend_limit',
        `This order would take today's spending (UTC) past the daily limit of ${formatMoney(maxDailySpend, 2)} ${this.settings.currency} ` +
          '(what orders charged today; refunds do not give it back)',
      );
    }
  }

  async release(order: Spend): Promise<void> {
    if ((await this.maxDailySpend()) !== undefined && order.charge > 0)
      await this.add(this.spendKey(order), -order.charge, undefined, 0, this.spendExpiry(order));
  }

  private spendKey(order: Spend) {
    return keys.dailySpend(order.ownerId, order.createdAt.slice(0, 10));
  }

  private spendExpiry(order: Spend): number {
    return Date.parse(`${order.createdAt.slice(0, 10)}T00:00:00Z`) / 1000 + 2 * DAY_S;
  }

  /**
   * ADDs `by` to the item's count while the condition holds; false when it does not. A one-item transaction, not an
   * UpdateItem: the SDK retries a lost answer (a 500 after the write) with the same ClientRequestToken, so the ADD is
   * applied once; a plain ADD would apply twice and move the day's limit.
   */
  private async add(key: { pk: string; sk: string }, by: number, condition: string | undefined, bound: number, expiresAt?: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: key,
                  UpdateExpression: `SET entity = :entity${expiresAt !== undefined ? ', expiresAt = :expires' : ''} ADD #count :by`,
                  ...(condition ? { ConditionExpression: condition } : {}),
                  ExpressionAttributeNames: { '#count': 'count' },
                  ExpressionAttributeValues: {
                    ':entity': 'daily-spend',
                    ':by': by,
                    ...(condition ? { ':bound': bound } : {}),
                    ...(expiresAt !== undefined ? { ':expires': expiresAt } : {}),
                  },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const code = error.CancellationReasons?.[0]?.Code;
        if (code === 'ConditionalCheckFailed') return false;
        // Another transaction holds the counter a moment: try again shortly, as the SDK does for a single write.
        if (code !== 'TransactionConflict' || attempt >= CONFLICT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }
}
