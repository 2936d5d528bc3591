import { type DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { micros } from '../../shared/money.js';
import type { LedgerEntry, Wallet, WalletStore } from '../../wallets/ports.js';
import { keys } from './keys.js';
import { moveMoney } from './wallet-transaction.js';

export class DynamoWalletStore implements WalletStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async openWallet(wallet: { id: string; ownerId: string; currency: string }, now: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.wallet(wallet.id),
            entity: 'wallet',
            id: wallet.id,
            ownerId: wallet.ownerId,
            currency: wallet.currency,
            balance: 0,
            seq: 0,
            createdAt: now,
            updatedAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getWallet(id: string): Promise<Wallet | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.wallet(id), ConsistentRead: true }));
    if (!Item) return undefined;
    return { id, ownerId: String(Item.ownerId), currency: String(Item.currency), balance: micros(Number(Item.balance)), seq: Number(Item.seq) };
  }

  credit: WalletStore['credit'] = (input) =>
    moveMoney(this.db, this.tableName, {
      walletId: input.walletId,
      amount: input.amount,
      kind: input.kind,
      reference: input.reference,
      at: input.at,
      companions: [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.idempotency('credit', input.idempotencyKey), entity: 'idempotency', walletId: input.walletId, amount: input.amount },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });

  async listLedger(walletId: string): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.wallet(walletId).pk, ':prefix': keys.ledgerPrefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        entries.push({
          walletId,
          seq: Number(item.seq),
          kind: item.kind,
          amount: micros(Number(item.amount)),
          balanceAfter: micros(Number(item.balanceAfter)),
          reference: String(item.reference),
          at: String(item.at),
        });
      }
    }
    return entries;
  }
}
