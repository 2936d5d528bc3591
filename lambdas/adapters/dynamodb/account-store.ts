// Users and their API keys. A key is stored only as its keyed hash. Each managed key has two items written
// together: a lookup item found by the hash on every request, and a listing item under its owner.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyStatus } from '../../access/domain/api-keys.js';
import type {
  ApiKeyChange,
  ApiKeyChangeOutcome,
  ApiKeyDetails,
  ApiKeyRecord,
  ApiKeyRegistry,
  ApiKeyStore,
  AuditEntry,
  StoredApiKey,
  UserRecord,
  UserStore,
} from '../../access/ports.js';
import { normaliseEmail } from '../../customers/domain/email-address.js';
import { keys } from './keys.js';
import { auditPut } from './audit-log.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
type Item = Record<string, unknown>;

export class DynamoApiKeyStore implements ApiKeyStore, ApiKeyRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Writes a lookup item only, without id or listing: kept for old callers; new keys go through createApiKey. */
  async put(record: ApiKeyRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKey(record.keyHash), entity: 'api-key', ...record } }));
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(keyHash) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...record } = Item;
    return record as ApiKeyRecord;
  }

  async create(key: StoredApiKey, audit?: AuditEntry): Promise<'created' | 'exists'> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.apiKey(key.keyHash), entity: 'api-key', ...key },
          // A lookup item written before keys had ids (no keyId, no listing) is taken over by its own owner.
          ConditionExpression: 'attribute_not_exists(pk) OR (ownerId = :owner AND attribute_not_exists(keyId))',
          ExpressionAttributeValues: { ':owner': key.ownerId },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.apiKeyListing(key.ownerId, key.keyId), entity: 'api-key-listing', ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...(audit ? [this.auditPut(audit)] : []),
    ];
    try {
      await transact(this.db, items);
      return 'created';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  }

  async findKey(keyHash: string): Promise<StoredApiKey | undefined> {
    // Consistent: a key used right after its creation must not be cached as unknown.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(keyHash), ConsistentRead: true }));
    if (!Item) return undefined;
    return { ...toDetails(Item), keyHash, keyId: typeof Item.keyId === 'string' ? Item.keyId : `legacy-${keyHash.slice(0, 16)}` };
  }

  async listKeys(ownerId: string): Promise<ApiKeyDetails[]> {
    const found: ApiKeyDetails[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.apiKeyListing(ownerId, '').pk, ':prefix': keys.apiKeyListingPrefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) found.push(toDetails(item));
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
  }

  async getKey(ownerId: string, keyId: string): Promise<ApiKeyDetails | undefined> {
    const item = await this.listingItem(ownerId, keyId);
    return item ? toDetails(item) : undefined;
  }

  async changeKey(
    ownerId: string,
    keyId: string,
    change: ApiKeyChange,
    fromStatuses: readonly ApiKeyStatus[],
    audit?: AuditEntry,
  ): Promise<ApiKeyChangeOutcome> {
    for (let attempt = 1; ; attempt++) {
      const item = await this.listingItem(ownerId, keyId);
      if (!item) return { outcome: 'not_found' };
      const current = toDetails(item);
      if (!fromStatuses.includes(current.status)) return { outcome: 'status_mismatch', status: current.status };
      const update = updateFor(change);
      const next = applyChange(current, change);
      try {
        await transact(this.db, [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.apiKeyListing(ownerId, keyId),
              ...update,
              // The status read above must still hold, so two changes never both pass the same check.
              ConditionExpression: '#status = :current',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':current': current.status },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: keys.apiKey(String(item.keyHash)),
              ...update,
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          ...(audit ? [this.auditPut(auditedChange(audit, current, next, change))] : []),
        ]);
      } catch (error) {
        const lostRace = error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
        if (lostRace && attempt < 5) continue;
        throw error;
      }
      return { outcome: 'changed', key: next };
    }
  }

  async touchKey(ownerId: string, keyId: string, at: string, unlessAfter: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKeyListing(ownerId, keyId),
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt <= :cutoff)',
          ExpressionAttributeValues: { ':at': at, ':cutoff': unlessAfter },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async listingItem(ownerId: string, keyId: string): Promise<Item | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKeyListing(ownerId, keyId), ConsistentRead: true }));
    return Item;
  }

  private auditPut(entry: AuditEntry): TransactItem {
    return auditPut(this.tableName, entry);
  }
}

/** The owner's view of a key item: no hash, no table keys. */
function toDetails(item: Item): ApiKeyDetails {
  const { pk: _pk, sk: _sk, entity: _entity, keyHash: _hash, ...details } = item;
  return details as unknown as ApiKeyDetails;
}

function updateFor(change: ApiKeyChange) {
  const set = ['updatedAt = :at'];
  const remove: string[] = [];
  const values: Item = { ':at': change.at };
  if (change.status) {
    set.push('#status = :status');
    values[':status'] = change.status;
  }
  if (change.statusReason !== undefined) {
    set.push('statusReason = :reason');
    values[':reason'] = change.statusReason;
  } else if (change.status === 'active') {
    remove.push('statusReason');
  }
  if (change.label !== undefined) {
    if (change.label) {
      set.push('label = :label');
      values[':label'] = change.label;
    } else {
      remove.push('label');
    }
  }
  if (change.allowedIps !== undefined) {
    if (change.allowedIps.length > 0) {
      set.push('allowedIps = :ips');
      values[':ips'] = change.allowedIps;
    } else {
      remove.push('allowedIps');
    }
  }
  if (change.limits !== undefined) {
    if (Object.keys(change.limits).length > 0) {
      set.push('limits = :limits');
      values[':limits'] = change.limits;
    } else {
      remove.push('limits');
    }
  }
  if (change.tier !== undefined) {
    set.push('tier = :tier');
    values[':tier'] = change.tier;
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ...(change.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    ExpressionAttributeValues: values,
  };
}

function applyChange(key: ApiKeyDetails, change: ApiKeyChange): ApiKeyDetails {
  const next: ApiKeyDetails = { ...key, updatedAt: change.at };
  if (change.status) next.status = change.status;
  if (change.statusReason !== undefined) next.statusReason = change.statusReason;
  else if (change.status === 'active') delete next.statusReason;
  if (change.label !== undefined) {
    if (change.label) next.label = change.label;
    else delete next.label;
  }
  if (change.allowedIps !== undefined) {
    if (change.allowedIps.length > 0) next.allowedIps = change.allowedIps;
    else delete next.allowedIps;
  }
  if (change.limits !== undefined) {
    if (Object.keys(change.limits).length > 0) next.limits = change.limits;
    else delete next.limits;
  }
  if (change.tier !== undefined) next.tier = change.tier;
  return next;
}

/** The fields a change touches, as they were and as they become: what the audit entry records (no secret among them). */
function auditedChange(audit: AuditEntry, before: ApiKeyDetails, after: ApiKeyDetails, change: ApiKeyChange): AuditEntry {
  const fields = (['status', 'statusReason', 'label', 'allowedIps', 'limits', 'tier'] as const).filter((field) => change[field] !== undefined);
  const pick = (key: ApiKeyDetails) => Object.fromEntries(fields.map((field) => [field, key[field] ?? null]));
  return { ...audit, before: pick(before), after: pick(after) };
}

/** TransactWriteItems, retried with jitter on TransactionConflict only (the SDK does not retry it). */
async function transact(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const conflict = error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
      if (!conflict || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

export class DynamoUserStore implements UserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(user: UserRecord): Promise<void> {
    // listPk/listSk: the admin API's user list, by email (index admin-lists).
    const listed = keys.adminListUsers(normaliseEmail(user.email), user.id);
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.user(user.id), entity: 'user', ...user, ...listed } }));
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(id) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, listPk: _listPk, listSk: _listSk, ...user } = Item;
    return user as UserRecord;
  }
}
