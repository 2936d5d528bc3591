// Customer accounts on the user's `USER#<id>/PROFILE` item: registration (profile, email claim and wallet in one
// transaction), profile changes, blocking, and one-time tokens spent in the same transaction as their effect.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Account, AccountStore, NewAccount, NotificationSettings, ProfileChange, TokenEffect, TokenPurpose } from '../../customers/ports.js';
import { DEFAULT_NOTIFICATIONS } from '../../customers/ports.js';
import { micros } from '../../shared/money.js';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import { auditPut } from './audit-log.js';
import { keys } from './keys.js';

type Item = Record<string, unknown>;

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(account: NewAccount): Promise<'created' | 'email_taken'> {
    const { id, email, walletId, currency, name, passwordHash, createdAt } = account;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...keys.emailClaim(email), entity: 'email-claim', email, userId: id, createdAt },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...keys.user(id),
                    ...keys.adminListUsers(email, id),
                    entity: 'user',
                    id,
                    email,
                    role: 'customer',
                    walletId,
                    createdAt,
                    emailVerified: false,
                    passwordHash,
                    notifications: toItemNotifications(DEFAULT_NOTIFICATIONS),
                    ...(name ? { name } : {}),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                // The same item WalletStore.openWallet writes.
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...keys.wallet(walletId),
                    entity: 'wallet',
                    id: walletId,
                    ownerId: id,
                    currency,
                    balance: 0,
                    seq: 0,
                    createdAt,
                    updatedAt: createdAt,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return 'created';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'email_taken';
        // Two registrations of one email at once: the loser may see a conflict; tried again, it finds the claim.
        if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
      }
    }
  }

  async findUserIdByEmail(email: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.emailClaim(email), ConsistentRead: true }));
    return typeof Item?.userId === 'string' ? Item.userId : undefined;
  }

  async get(userId: string): Promise<Account | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(userId), ConsistentRead: true }));
    return Item ? toAccount(Item) : undefined;
  }

  async update(userId: string, change: ProfileChange): Promise<Account | undefined> {
    const set = ['updatedAt = :at'];
    const remove: string[] = [];
    const values: Item = { ':at': change.at };
    const names: Record<string, string> = {};
    for (const field of ['name', 'telegram'] as const) {
      const value = change[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      if (value === null) remove.push(`#${field}`);
      else {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    if (change.notifications) {
      set.push('notifications = :notifications');
      values[':notifications'] = toItemNotifications(change.notifications);
    }
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(userId),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toAccount(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async setBlocked(userId: string, reason: string, at: string, audit?: AuditEntry): Promise<boolean> {
    return this.updateExisting(
      userId,
      {
        UpdateExpression: 'SET blocked = :true, blockedReason = :reason, blockedAt = :at, updatedAt = :at',
        ExpressionAttributeValues: { ':true': true, ':reason': reason, ':at': at },
      },
      audit,
    );
  }

  async setUnblocked(userId: string, at: string, audit?: AuditEntry): Promise<boolean> {
    return this.updateExisting(
      userId,
      { UpdateExpression: 'SET updatedAt = :at REMOVE blocked, blockedReason, blockedAt', ExpressionAttributeValues: { ':at': at } },
      audit,
    );
  }

  /** Updates the profile if it exists, with the audit entry in the same transaction when there is one; false when there is no such user. */
  private async updateExisting(userId: string, update: { UpdateExpression: string; ExpressionAttributeValues: Item }, audit?: AuditEntry): Promise<boolean> {
    const change = { TableName: this.tableName, Key: keys.user(userId), ConditionExpression: 'attribute_exists(pk)', ...update };
    try {
      if (audit) await this.db.send(new TransactWriteCommand({ TransactItems: [{ Update: change }, auditPut(this.tableName, audit)] }));
      else await this.db.send(new UpdateCommand(change));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async issueToken(purpose: TokenPurpose, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.oneTimeToken(tokenHash),
          entity: 'one-time-token',
          purpose,
          userId,
          validUntil: expiresAt.toISOString(),
          // TTL removes it a day after it stops working; readers compare validUntil (TTL deletion lags).
          expiresAt: Math.ceil(expiresAt.getTime() / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async tokenUser(purpose: TokenPurpose, tokenHash: string, now: Date): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.oneTimeToken(tokenHash), ConsistentRead: true }));
    if (!Item || Item.purpose !== purpose || typeof Item.userId !== 'string' || String(Item.validUntil) <= now.toISOString()) return undefined;
    return Item.userId;
  }

  async redeemToken(purpose: TokenPurpose, tokenHash: string, effect: TokenEffect, now: Date): Promise<string | undefined> {
    const userId = await this.tokenUser(purpose, tokenHash, now);
    if (!userId) return undefined;
    const at = now.toISOString();
    const userUpdate =
      effect.kind === 'verify-email'
        ? { UpdateExpression: 'SET emailVerified = :true, updatedAt = :at', ExpressionAttributeValues: { ':true': true, ':at': at } }
        : {
            // The reset token came by email: using it proves control of the inbox.
            UpdateExpression: 'SET passwordHash = :hash, passwordChangedAt = :at, updatedAt = :at, emailVerified = :true',
            ExpressionAttributeValues: { ':hash': effect.passwordHash, ':at': at, ':true': true },
          };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // Spent exactly once: a second redemption finds no item.
              Delete: {
                TableName: this.tableName,
                Key: keys.oneTimeToken(tokenHash),
                ConditionExpression: 'attribute_exists(pk) AND purpose = :purpose AND validUntil > :now',
                ExpressionAttributeValues: { ':purpose': purpose, ':now': at },
              },
            },
            { Update: { TableName: this.tableName, Key: keys.user(userId), ConditionExpression: 'attribute_exists(pk)', ...userUpdate } },
          ],
        }),
      );
      return userId;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return undefined;
      throw error;
    }
  }
}

function toItemNotifications(settings: NotificationSettings): Item {
  return {
    orderCompleted: settings.orderCompleted,
    depositCredited: settings.depositCredited,
    lowBalanceThreshold: settings.lowBalanceThreshold,
  };
}

/** A profile item as an Account (defaults for settings it predates). */
export function toAccount(item: Item): Account {
  const stored = (item.notifications ?? {}) as Item;
  const threshold = stored.lowBalanceThreshold;
  return {
    id: String(item.id),
    email: String(item.email),
    role: item.role as Account['role'],
    walletId: String(item.walletId),
    createdAt: String(item.createdAt),
    ...(typeof item.name === 'string' ? { name: item.name } : {}),
    ...(typeof item.telegram === 'string' ? { telegram: item.telegram } : {}),
    emailVerified: item.emailVerified !== false,
    notifications: {
      orderCompleted: typeof stored.orderCompleted === 'boolean' ? stored.orderCompleted : DEFAULT_NOTIFICATIONS.orderCompleted,
      depositCredited: typeof stored.depositCredited === 'boolean' ? stored.depositCredited : DEFAULT_NOTIFICATIONS.depositCredited,
      lowBalanceThreshold: typeof threshold === 'number' ? micros(threshold) : null,
    },
    blocked: item.blocked === true,
    ...(typeof item.passwordHash === 'string' ? { passwordHash: item.passwordHash } : {}),
  };
}
