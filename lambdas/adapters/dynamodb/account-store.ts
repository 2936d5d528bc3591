// Users and their API keys. A key is stored only as its keyed hash; the item is found by that hash.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, ApiKeyStore, UserRecord, UserStore } from '../../domain/ports.js';
import { keys } from './keys.js';

export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: ApiKeyRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKey(record.keyHash), entity: 'api-key', ...record } }));
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(keyHash) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...record } = Item;
    return record as ApiKeyRecord;
  }
}

export class DynamoUserStore implements UserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(user: UserRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.user(user.id), entity: 'user', ...user } }));
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(id) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...user } = Item;
    return user as UserRecord;
  }
}
