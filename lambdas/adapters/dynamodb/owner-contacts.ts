// The email on a user's profile (`USER#<id>` / `PROFILE`), for notices to an owner: one projected read, without the
// whole account store (the webhook consumer's bundle has no room for it).
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OwnerContacts } from '../../notifications/ports.js';
import { keys } from './keys.js';

export class DynamoOwnerContacts implements OwnerContacts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async emailOf(userId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(userId), ProjectionExpression: 'email' }));
    return typeof Item?.email === 'string' ? Item.email : undefined;
  }
}
