import { type DynamoDBDocumentClient, paginateQuery, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { micros } from '../../shared/money.js';
import type { LedgerEntry, LedgerKind, Wallet, WalletStore } from '../../wallets/ports.js';
import { readVisibleBalance } from './balance-lease.js';
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

  // The balance the customer has: the wallet's and what its open balance leases have left (balance-lease.ts).
  async getWallet(id: string): Promise<Wallet | undefined> {
    const read = await readVisibleBalance(this.db, this.tableName, id);
    if (!read) return undefined;
    const { wallet: Item, balance } = read;
    return { id, ownerId: String(Item.ownerId), currency: String(Item.currency), balance, seq: Number(Item.seq) };
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
      for (const item of page.Items ?? []) entries.push(toEntry(walletId, item));
    }
    return entries;
  }

  // Newest first, below the cursor (the sequence number of the last entry returned): entries added meanwhile have
  // higher numbers, so paging skips and repeats nothing. With a kind, Queries go on until the page is full (at most 5).
  async listLedgerPage(walletId: string, page: { limit: number; kind?: LedgerKind; cursor?: string }): Promise<{ entries: LedgerEntry[]; cursor?: string }> {
    let below = page.cursor === undefined ? undefined : Number(Buffer.from(page.cursor, 'base64url').toString('utf8'));
    if (below !== undefined && !(Number.isSafeInteger(below) && below > 0))
      throw new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
    const entries: LedgerEntry[] = [];
    for (let queries = 0; queries < 5; queries++) {
      if (below === 1) return { entries };
      const response = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: below === undefined ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk AND sk BETWEEN :prefix AND :high',
          ExpressionAttributeValues: {
            ':pk': keys.wallet(walletId).pk,
            ':prefix': keys.ledgerPrefix,
            ...(below !== undefined ? { ':high': keys.ledgerEntry(walletId, below - 1).sk } : {}),
            ...(page.kind ? { ':kind': page.kind } : {}),
          },
          ...(page.kind ? { FilterExpression: 'kind = :kind' } : {}),
          ScanIndexForward: false,
          Limit: page.kind ? Math.max(200, page.limit + 1) : page.limit + 1,
        }),
      );
      for (const item of response.Items ?? []) {
        if (entries.length === page.limit) return { entries, cursor: ledgerCursor(entries.at(-1)!.seq) };
        entries.push(toEntry(walletId, item));
      }
      if (!response.LastEvaluatedKey) return { entries };
      below = Number(response.LastEvaluatedKey.sk.slice(keys.ledgerPrefix.length));
    }
    return { entries, cursor: ledgerCursor(below!) };
  }
}

const ledgerCursor = (seq: number) => Buffer.from(String(seq), 'utf8').toString('base64url');

/** A ledger item as the wallet's entry (also read by the admin API's order page). */
export function toEntry(walletId: string, item: Record<string, unknown>): LedgerEntry {
  return {
    walletId,
    seq: Number(item.seq),
    kind: item.kind as LedgerKind,
    amount: micros(Number(item.amount)),
    balanceAfter: micros(Number(item.balanceAfter)),
    reference: String(item.reference),
    at: String(item.at),
  };
}
