// The admin API's reads and writes of users (issue 11): the list by email (index admin-lists, `USERS`), a profile
// without its secrets, wallet balances in one BatchGetItem, order figures from one bounded Query of owner-orders,
// the email claim that makes onboarding idempotent, and balance adjustments through moveMoney.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { usageKeyState } from '../../access/domain/usage-key.js';
import type { AdjustmentResult, Adjustment, Adjustments, AdminUserProfile, OrderFigures, UserDirectory, UserListItem } from '../../admin/users-ports.js';
import type { OrderStatus } from '../../orders/domain/order-status.js';
import type { OrderSummary } from '../../orders/ports.js';
import { DomainError } from '../../shared/errors.js';
import { type Micros, micros } from '../../shared/money.js';
import { auditPut } from './audit-log.js';
import { readVisibleBalance, withLeasesRecalled } from './balance-lease.js';
import { keys } from './keys.js';
import { TABLE_DESIGN } from './table-design.js';
import { isStartKey } from './start-key.js';
import { moveMoney } from './wallet-transaction.js';

type Item = Record<string, unknown>;
const USERS = keys.adminListUsers('', '').listPk;

export class DynamoUsersAdminStore implements UserDirectory, Adjustments {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listByEmail(prefix: string, limit: number, cursor?: string): Promise<{ items: UserListItem[]; cursor?: string }> {
    const start = cursor === undefined ? undefined : readCursor(cursor);
    // A start key outside begins_with(listSk, prefix) is a ValidationException: a cursor of another search.
    if (start && prefix && !String(start.listSk).startsWith(prefix)) throw badCursor();
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_DESIGN.adminListsIndex.name,
        KeyConditionExpression: prefix ? 'listPk = :pk AND begins_with(listSk, :prefix)' : 'listPk = :pk',
        ExpressionAttributeValues: { ':pk': USERS, ...(prefix ? { ':prefix': prefix } : {}) },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: Items.map(toListItem),
      ...(LastEvaluatedKey && Items.length === limit ? { cursor: Buffer.from(JSON.stringify(LastEvaluatedKey), 'utf8').toString('base64url') } : {}),
    };
  }

  async getProfile(id: string): Promise<AdminUserProfile | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const gatewayKey = Item.apiGatewayKey as { id?: unknown; tier?: unknown } | undefined;
    const profile: AdminUserProfile = {
      ...toListItem(Item),
      ...(typeof Item.name === 'string' ? { name: Item.name } : {}),
      ...(typeof Item.telegram === 'string' ? { telegram: Item.telegram } : {}),
      emailVerified: Item.emailVerified !== false,
      ...(typeof Item.blockedReason === 'string' ? { blockedReason: Item.blockedReason } : {}),
      ...(typeof Item.blockedAt === 'string' ? { blockedAt: Item.blockedAt } : {}),
      ...(typeof Item.updatedAt === 'string' ? { updatedAt: Item.updatedAt } : {}),
      hasPassword: typeof Item.passwordHash === 'string',
      ...(typeof Item.tier === 'string' ? { tier: Item.tier } : {}),
      ...(gatewayKey ? { apiGatewayKey: { id: String(gatewayKey.id), tier: String(gatewayKey.tier) } } : {}),
    };
    const usageKey = usageKeyState({
      role: profile.role,
      ...(profile.tier ? { tier: profile.tier } : {}),
      ...(profile.apiGatewayKey ? { apiGatewayKey: profile.apiGatewayKey } : {}),
      ...(typeof Item.apiGatewayKeyRefusedFor === 'string' ? { apiGatewayKeyRefusedFor: Item.apiGatewayKeyRefusedFor } : {}),
    });
    return usageKey ? { ...profile, usageKey } : profile;
  }

  async balances(walletIds: readonly string[]): Promise<Map<string, Micros>> {
    const found = new Map<string, Micros>();
    const unique = [...new Set(walletIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: Item[]; ProjectionExpression: string }> | undefined = {
        [this.tableName]: { Keys: unique.slice(i, i + 100).map((id) => keys.wallet(id)), ProjectionExpression: 'id, balance, openLeases' },
      };
      // Unprocessed keys (throttling) are asked again a few times, then left out rather than failing the list.
      for (let attempt = 0; request && attempt < 5; attempt++) {
        const answer: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, unknown> } = await this.db.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          // A wallet with open balance leases: its balance is the wallet's and theirs, read together.
          const leased = Number(item.openLeases ?? 0) > 0 ? await readVisibleBalance(this.db, this.tableName, String(item.id)) : undefined;
          found.set(String(item.id), leased?.balance ?? micros(Number(item.balance)));
        }
        const left = answer.UnprocessedKeys;
        request = left && Object.keys(left).length > 0 ? (left as typeof request) : undefined;
      }
    }
    return found;
  }

  async orderFigures(ownerId: string, limit: number, recent: number): Promise<OrderFigures> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_DESIGN.ownerOrdersIndex.name,
        KeyConditionExpression: 'ownerPk = :pk',
        ExpressionAttributeValues: { ':pk': keys.ownerOrders(ownerId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const byStatus: Partial<Record<OrderStatus, number>> = {};
    let charged = 0;
    let refunded = 0;
    for (const item of Items) {
      const status = item.status as OrderStatus;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      charged += Number(item.charge ?? 0);
      refunded += Number(item.refunded ?? 0);
    }
    return {
      counted: Items.length,
      complete: !LastEvaluatedKey,
      byStatus,
      charged: micros(charged),
      refunded: micros(refunded),
      recent: Items.slice(0, recent).map(toOrderSummary),
    };
  }

  async claimEmail(normalisedEmail: string, userId: string, at: string): Promise<string> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.emailClaim(normalisedEmail), entity: 'email-claim', email: normalisedEmail, userId, createdAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return userId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.emailClaim(normalisedEmail), ConsistentRead: true }));
    return String(Item?.userId);
  }

  async setTier(userId: string, tier: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.user(userId),
        UpdateExpression: 'SET tier = :tier, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':tier': tier, ':at': at },
      }),
    );
  }

  async find(userId: string, idempotencyKey: string): Promise<AdjustmentResult | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency('adjustment', `${userId}#${idempotencyKey}`), ConsistentRead: true }),
    );
    return Item ? toAdjustmentResult(Item) : undefined;
  }

  async apply(adjustment: Adjustment): Promise<AdjustmentResult | 'already_applied'> {
    let committed: AdjustmentResult | undefined;
    const outcome = await withLeasesRecalled(this.db, this.tableName, adjustment.walletId, adjustment.at, () =>
      moveMoney(this.db, this.tableName, {
        walletId: adjustment.walletId,
        amount: adjustment.amount,
        kind: 'adjustment',
        reference: `adjustment:${adjustment.idempotencyKey}`,
        at: adjustment.at,
        // The key's record keeps the answer (a repeat answers it again) and is what makes the key move money once.
        companions: (state) => {
          committed = {
            userId: adjustment.userId,
            walletId: adjustment.walletId,
            amount: adjustment.amount,
            reason: adjustment.reason,
            seq: state.seq,
            balanceBefore: state.balanceBefore,
            balanceAfter: state.balanceAfter,
            at: adjustment.at,
          };
          return [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.idempotency('adjustment', `${adjustment.userId}#${adjustment.idempotencyKey}`), entity: 'idempotency', ...committed },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            auditPut(this.tableName, adjustment.audit(state)),
          ];
        },
      }),
    );
    if (outcome === 'already_applied' || !committed) return 'already_applied';
    return committed;
  }
}

function toListItem(item: Item): UserListItem {
  return {
    id: String(item.id),
    email: String(item.email),
    role: String(item.role),
    walletId: String(item.walletId),
    blocked: item.blocked === true,
    createdAt: String(item.createdAt),
  };
}

function toOrderSummary(item: Item): OrderSummary {
  return {
    id: Number(item.id),
    serviceId: Number(item.serviceId),
    ...(item.serviceType !== undefined ? { serviceType: item.serviceType as OrderSummary['serviceType'] } : {}),
    link: String(item.link),
    quantity: Number(item.quantity),
    charge: micros(Number(item.charge)),
    refunded: micros(Number(item.refunded)),
    status: item.status as OrderSummary['status'],
    createdAt: String(item.createdAt),
  };
}

function toAdjustmentResult(item: Item): AdjustmentResult {
  return {
    userId: String(item.userId),
    walletId: String(item.walletId),
    amount: micros(Number(item.amount)),
    reason: String(item.reason),
    seq: Number(item.seq),
    balanceBefore: micros(Number(item.balanceBefore)),
    balanceAfter: micros(Number(item.balanceAfter)),
    at: String(item.at),
  };
}

function readCursor(cursor: string): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item;
    if (isStartKey(key, ['pk', 'sk', 'listPk', 'listSk']) && key.listPk === USERS) return key;
  } catch {}
  throw badCursor();
}

const badCursor = () => new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
