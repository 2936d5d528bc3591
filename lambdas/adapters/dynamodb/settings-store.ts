// The settings item (`SETTINGS` / `SETTINGS`): overrides of the environment's defaults, with a version that makes each
// change conditional on the one it was made from. A change and its audit entry are one transaction.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import { NO_SETTINGS, type SettingsOverrides, type StoredSettings } from '../../settings/domain/settings.js';
import type { SettingsStore } from '../../settings/ports.js';
import { auditPut } from './audit-log.js';

/** The one settings item. */
export const SETTINGS_KEY = { pk: 'SETTINGS', sk: 'SETTINGS' };

/**
 * The item as stored: consistent for a change (read-modify-write); the cached readers take an eventually consistent
 * read (0.5 read unit). A function of its own so that the readers' bundles carry no writer.
 */
export async function readSettingsItem(db: DynamoDBDocumentClient, tableName: string, consistent: boolean): Promise<StoredSettings> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: SETTINGS_KEY, ConsistentRead: consistent }));
  if (!Item) return NO_SETTINGS;
  return {
    overrides: (Item.overrides ?? {}) as SettingsOverrides,
    version: Number(Item.version ?? 0),
    ...(typeof Item.updatedAt === 'string' ? { updatedAt: Item.updatedAt } : {}),
    ...(typeof Item.updatedBy === 'string' ? { updatedBy: Item.updatedBy } : {}),
  };
}

export class DynamoSettingsStore implements SettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  read(): Promise<StoredSettings> {
    return readSettingsItem(this.db, this.tableName, true);
  }

  async replace(overrides: SettingsOverrides, expectedVersion: number, audit: AuditEntry): Promise<'written' | 'conflict'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...SETTINGS_KEY, entity: 'settings', overrides, version: expectedVersion + 1, updatedAt: audit.at, updatedBy: audit.actor },
                ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR version = :v' : 'version = :v',
                ExpressionAttributeValues: { ':v': expectedVersion },
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
