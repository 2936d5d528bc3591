// Promo codes (`PROMOS` / `CODE#<code>`, one partition: the list is one Query) and each customer's uses of a code
// (`PROMOUSE#<code>#<user>`). `uses` and the per-customer counts are changed only by the deposit's transaction
// (top-up-store.ts, promoGuards); an admin's change writes the terms, conditioned on the version it read.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import { micros } from '../../shared/money.js';
import type { PromoCode } from '../../payments/domain/promo-codes.js';
import type { PromoCodeStore } from '../../payments/ports.js';
import { auditPut, putNewWithAudit } from './audit-log.js';
import type { TransactItem } from './wallet-transaction.js';

export const promoKeys = {
  code: (code: string) => ({ pk: 'PROMOS', sk: `CODE#${code}` }),
  codePrefix: 'CODE#',
  use: (code: string, userId: string) => ({ pk: `PROMOUSE#${code}#${userId}`, sk: 'PROMOUSE' }),
};

const TERMS = ['kind', 'value', 'minDeposit', 'maxUses', 'perUserLimit', 'expiresAt', 'disabled', 'createdAt', 'updatedAt'] as const;

export class DynamoPromoCodeStore implements PromoCodeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(code: string): Promise<PromoCode | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: promoKeys.code(code), ConsistentRead: true }));
    return Item ? toPromoCode(Item) : undefined;
  }

  async usesBy(code: string, userId: string): Promise<number> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: promoKeys.use(code, userId), ConsistentRead: true }));
    return Number(Item?.count ?? 0);
  }

  async list(): Promise<PromoCode[]> {
    const codes: PromoCode[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': promoKeys.code('').pk, ':prefix': promoKeys.codePrefix },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      codes.push(...(page.Items ?? []).map(toPromoCode));
      start = page.LastEvaluatedKey;
    } while (start);
    return codes;
  }

  create(code: PromoCode, audit: AuditEntry): Promise<'created' | 'exists'> {
    return putNewWithAudit(this.db, this.tableName, { ...promoKeys.code(code.code), entity: 'promo-code', ...code }, audit);
  }

  async update(code: PromoCode, readUpdatedAt: string, audit: AuditEntry): Promise<'written' | 'conflict'> {
    const set: string[] = [];
    const remove: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':read': readUpdatedAt };
    for (const [i, name] of TERMS.entries()) {
      names[`#t${i}`] = name;
      if (code[name] === undefined) remove.push(`#t${i}`);
      else {
        set.push(`#t${i} = :t${i}`);
        values[`:t${i}`] = code[name];
      }
    }
    names['#updatedAt'] = 'updatedAt';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: promoKeys.code(code.code),
                UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
                ConditionExpression: 'attribute_exists(pk) AND #updatedAt = :read',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            auditPut(this.tableName, audit),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'conflict';
      throw error;
    }
  }
}

/**
 * The deposit transaction's conditions on a promo code: one more use while it is enabled and has uses left, and one
 * more of the customer's while under their limit (counted even without a limit, so that one set later holds).
 */
export function promoGuards(
  tableName: string,
  code: string,
  ownerId: string,
  perUserLimit: number | undefined,
): { used: TransactItem; byCustomer: TransactItem } {
  return {
    used: {
      Update: {
        TableName: tableName,
        Key: promoKeys.code(code),
        UpdateExpression: 'ADD #uses :one',
        ConditionExpression: 'attribute_exists(pk) AND disabled = :false AND (attribute_not_exists(maxUses) OR #uses < maxUses)',
        ExpressionAttributeNames: { '#uses': 'uses' },
        ExpressionAttributeValues: { ':one': 1, ':false': false },
      },
    },
    byCustomer: {
      Update: {
        TableName: tableName,
        Key: promoKeys.use(code, ownerId),
        UpdateExpression: 'SET entity = :entity ADD #count :one',
        ...(perUserLimit !== undefined ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit' } : {}),
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':entity': 'promo-use', ':one': 1, ...(perUserLimit !== undefined ? { ':limit': perUserLimit } : {}) },
      },
    },
  };
}

function toPromoCode(item: Record<string, unknown>): PromoCode {
  return {
    code: String(item.sk).slice(promoKeys.codePrefix.length),
    kind: item.kind as PromoCode['kind'],
    value: String(item.value),
    ...(item.minDeposit !== undefined ? { minDeposit: micros(Number(item.minDeposit)) } : {}),
    ...(item.maxUses !== undefined ? { maxUses: Number(item.maxUses) } : {}),
    ...(item.perUserLimit !== undefined ? { perUserLimit: Number(item.perUserLimit) } : {}),
    ...(typeof item.expiresAt === 'string' ? { expiresAt: item.expiresAt } : {}),
    disabled: item.disabled === true,
    uses: Number(item.uses ?? 0),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}
