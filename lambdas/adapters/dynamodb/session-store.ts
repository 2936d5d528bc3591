// Sessions under their user (`USER#<id>` / `SESSION#<sessionId>`): one read to refresh or check one, one Query to
// end them all. Only hashes of refresh tokens are stored. TTL attribute `expiresAt` removes ended sessions.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionRecord, SessionStore } from '../../customers/ports.js';
import { keys } from './keys.js';

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.session(session.userId, session.sessionId), entity: 'session', ...session },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(userId: string, sessionId: string): Promise<SessionRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.session(userId, sessionId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...session } = Item;
    return { usedHashes: [], ...session } as unknown as SessionRecord;
  }

  async rotate(userId: string, sessionId: string, fromHash: string, toHash: string, usedHashes: string[], at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(userId, sessionId),
          UpdateExpression: 'SET refreshHash = :to, usedHashes = :used, lastUsedAt = :at',
          ConditionExpression: 'refreshHash = :from AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': toHash, ':from': fromHash, ':used': usedHashes, ':at': at, ':active': 'active' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async revoke(userId: string, sessionId: string, reason: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(userId, sessionId),
          UpdateExpression: 'SET #status = :revoked, revokedReason = :reason, revokedAt = :at',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':reason': reason, ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async revokeAll(userId: string, reason: string, at: string): Promise<number> {
    const active: string[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':prefix': keys.sessionPrefix, ':active': 'active' },
        ProjectionExpression: 'sessionId',
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) active.push(String(item.sessionId));
    for (const sessionId of active) await this.revoke(userId, sessionId, reason, at);
    return active.length;
  }
}
