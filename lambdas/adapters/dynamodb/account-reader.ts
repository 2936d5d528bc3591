// Reads a user's profile and nothing else: for functions that only need to know whom to tell and how (notification
// emails), without the account store's writes and transactions in their bundle.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../../customers/ports.js';
import { toAccount } from './customer-accounts.js';
import { keys } from './keys.js';

export class DynamoAccountReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Eventually consistent (half the read units): a settings change made in the last second may not show yet. */
  async get(userId: string): Promise<Account | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(userId) }));
    return Item ? toAccount(Item) : undefined;
  }
}
