// Top-ups, their id pointers, the gateways' callback records and the markers of callbacks handled to the end.
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { type Micros, micros } from '../../shared/money.js';
import { bonusReference } from '../../payments/domain/promo-codes.js';
import { depositReference, type PaymentMethod, type PromoOutcome, type StoredTopUpStatus, TOP_UP_ID, type TopUp } from '../../payments/domain/top-ups.js';
import type { CallbackRecord, TopUpPage, TopUpStore } from '../../payments/ports.js';
import { keys } from './keys.js';
import { promoGuards } from './promo-code-store.js';
import { moveMoney } from './wallet-transaction.js';

/** Refused callbacks are kept 90 days: anyone can send them, so they must not pile up for ever. */
const REFUSED_KEPT_SECONDS = 90 * 24 * 3600;

export class DynamoTopUpStore implements TopUpStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(topUp: TopUp): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.topUp(topUp.ownerId, topUp.id), entity: 'top-up', ...topUp },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.topUpPointer(topUp.id), entity: 'top-up-pointer', id: topUp.id, ownerId: topUp.ownerId, createdAt: topUp.createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async attachPayment(topUp: TopUp, payment: { gatewayPaymentId: string; checkoutUrl: string }, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.topUp(topUp.ownerId, topUp.id),
        UpdateExpression: 'SET gatewayPaymentId = :pid, checkoutUrl = :url, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(gatewayPaymentId) OR gatewayPaymentId = :pid)',
        ExpressionAttributeValues: { ':pid': payment.gatewayPaymentId, ':url': payment.checkoutUrl, ':at': at },
      }),
    );
  }

  async get(ownerId: string, id: string): Promise<TopUp | undefined> {
    if (!TOP_UP_ID.test(id)) return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.topUp(ownerId, id), ConsistentRead: true }));
    return Item ? toTopUp(Item) : undefined;
  }

  async find(id: string): Promise<TopUp | undefined> {
    if (!TOP_UP_ID.test(id)) return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.topUpPointer(id), ConsistentRead: true }));
    return Item ? this.get(String(Item.ownerId), id) : undefined;
  }

  async list(ownerId: string, options: { limit: number; cursor?: string }): Promise<TopUpPage> {
    const after = options.cursor === undefined ? undefined : cursorId(options.cursor);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.topUp(ownerId, '').pk, ':prefix': keys.topUpPrefix },
        ...(after ? { ExclusiveStartKey: keys.topUp(ownerId, after) } : {}),
        ScanIndexForward: false,
        // One more than asked, to know whether there is a next page without ever answering an empty one.
        Limit: options.limit + 1,
      }),
    );
    const items = Items.slice(0, options.limit).map(toTopUp);
    const last = items.at(-1);
    return { items, nextCursor: Items.length > options.limit && last ? Buffer.from(last.id).toString('base64url') : null };
  }

  async mark(topUp: TopUp, status: StoredTopUpStatus, from: readonly StoredTopUpStatus[], gatewayStatus: string, at: string): Promise<boolean> {
    const names = from.map((_, i) => `:from${i}`);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.topUp(topUp.ownerId, topUp.id),
          UpdateExpression: 'SET #status = :status, gatewayStatus = :gs, updatedAt = :at',
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(creditedAt) AND #status IN (${names.join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':gs': gatewayStatus, ':at': at, ...Object.fromEntries(from.map((s, i) => [names[i], s])) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async credit(topUp: TopUp, amount: Micros, gatewayStatus: string, at: string): Promise<'applied' | 'already_applied'> {
    if (!topUp.promoCode || !topUp.promoBonus) return this.creditOnce(topUp, amount, gatewayStatus, at);
    try {
      return await this.creditOnce(topUp, amount, gatewayStatus, at, { code: topUp.promoCode, bonus: topUp.promoBonus });
    } catch (error) {
      // The code was used up (or disabled) or the customer reached their limit since the top-up was made: the money
      // that arrived is credited all the same, without the bonus, and the top-up says why.
      if (error instanceof PromoRefused) return this.creditOnce(topUp, amount, gatewayStatus, at, undefined, error.outcome);
      throw error;
    }
  }

  private creditOnce(
    topUp: TopUp,
    amount: Micros,
    gatewayStatus: string,
    at: string,
    promo?: { code: string; bonus: Micros },
    promoOutcome?: PromoOutcome,
  ): Promise<'applied' | 'already_applied'> {
    const guards = promo ? promoGuards(this.tableName, promo.code, topUp.ownerId, topUp.promoPerUserLimit) : undefined;
    // A code whose bonus rounds to nothing (a percent of a few cents) counts as credited with 0.
    const outcome: PromoOutcome = promo ? 'credited' : (promoOutcome ?? 'credited');
    return moveMoney(this.db, this.tableName, {
      walletId: topUp.walletId,
      amount,
      kind: 'deposit',
      reference: depositReference(topUp.id),
      at,
      companions: [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.topUp(topUp.ownerId, topUp.id),
            UpdateExpression: `SET #status = :paid, creditedAt = :at, creditedAmount = :amount, gatewayStatus = :gs, updatedAt = :at${
              topUp.promoCode ? ', bonusCredited = :bonus, promoOutcome = :outcome' : ''
            }`,
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(creditedAt)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':paid': 'paid',
              ':at': at,
              ':amount': amount,
              ':gs': gatewayStatus,
              ...(topUp.promoCode ? { ':bonus': promo?.bonus ?? 0, ':outcome': outcome } : {}),
            },
          },
        },
      ],
      ...(promo && guards
        ? {
            guards: [
              { item: guards.used, refusal: () => new PromoRefused('used_up') },
              { item: guards.byCustomer, refusal: () => new PromoRefused('per_user_limit') },
            ],
            followedBy: [{ amount: promo.bonus, kind: 'bonus' as const, reference: bonusReference(topUp.id) }],
          }
        : {}),
    });
  }

  async handled(method: PaymentMethod, gatewayPaymentId: string, status: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.paymentEvent(method, gatewayPaymentId, status), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async markHandled(method: PaymentMethod, gatewayPaymentId: string, status: string, topUpId: string, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.paymentEvent(method, gatewayPaymentId, status), entity: 'payment-event', method, gatewayPaymentId, status, topUpId, at },
      }),
    );
  }

  async record(callback: CallbackRecord): Promise<void> {
    const stamp = `${callback.at}#${randomBytes(6).toString('hex')}`;
    const key =
      callback.topUpId && !callback.verdict.startsWith('refused:')
        ? keys.topUpCallback(callback.topUpId, stamp)
        : keys.refusedCallback(callback.method, callback.at.slice(0, 10), stamp);
    const expiresAt = callback.verdict.startsWith('refused:') ? Math.floor(Date.parse(callback.at) / 1000) + REFUSED_KEPT_SECONDS : undefined;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, entity: 'payment-callback', ...callback, ...(expiresAt ? { expiresAt } : {}) },
      }),
    );
  }
}

/** A promo code's condition failed in the deposit's transaction (nothing was written). */
class PromoRefused extends Error {
  constructor(readonly outcome: Exclude<PromoOutcome, 'credited'>) {
    super(`promo code refused: ${outcome}`);
  }
}

function cursorId(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!TOP_UP_ID.test(id)) throw new DomainError('invalid_request', 'cursor: not a cursor of this list; use nextCursor as given', 'cursor');
  return id;
}

function toTopUp(item: Record<string, unknown>): TopUp {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const optional = (name: string) => {
    const value = text(name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    id: String(item.id),
    ownerId: String(item.ownerId),
    walletId: String(item.walletId),
    amount: micros(Number(item.amount)),
    currency: String(item.currency),
    method: item.method as PaymentMethod,
    status: item.status as StoredTopUpStatus,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    expiresAt: String(item.expiresAt),
    ...optional('gatewayPaymentId'),
    ...optional('checkoutUrl'),
    ...optional('creditedAt'),
    ...optional('gatewayStatus'),
    ...optional('promoCode'),
    ...optional('promoOutcome'),
    ...(item.promoBonus !== undefined ? { promoBonus: micros(Number(item.promoBonus)) } : {}),
    ...(item.promoPerUserLimit !== undefined ? { promoPerUserLimit: Number(item.promoPerUserLimit) } : {}),
    ...(item.bonusCredited !== undefined ? { bonusCredited: micros(Number(item.bonusCredited)) } : {}),
  } as TopUp;
}
