// The admin ledger: every wallet's entries day by day through the admin-lists index (`LEDGERDAY#<day>`), or one
// wallet's through the base table, oldest first, filtered by kind and reference, a page at a time.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { micros } from '../../shared/money.js';
import type { LedgerFilter, LedgerLister, LedgerPage } from '../../finance/ports.js';
import type { LedgerEntry, LedgerKind } from '../../wallets/ports.js';
import { keys } from './keys.js';
import { isStartKey } from './start-key.js';
import { TABLE_DESIGN } from './table-design.js';

/** Queries one request may make before it answers with what it has and a cursor (filters and empty days read on). */
const MAX_QUERIES = 100;
const index = TABLE_DESIGN.adminListsIndex;

interface Cursor {
  /** The day being read (index), or undefined (one wallet). */
  d?: string;
  /** Where that read stopped; absent: the day starts afresh. */
  k?: Record<string, unknown>;
}

export class DynamoLedgerLister implements LedgerLister {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listAll(filter: LedgerFilter): Promise<LedgerPage> {
    const cursor = readCursor(filter.cursor);
    if (cursor.k && (!isStartKey(cursor.k, ['pk', 'sk', 'listPk', 'listSk']) || cursor.k.listPk !== `LEDGERDAY#${cursor.d}`)) throw badCursor();
    // A day outside the range asked for: a cursor of another request.
    if (cursor.d !== undefined && (cursor.d < filter.from || cursor.d > filter.to)) throw badCursor();
    let day = cursor.d ?? filter.from;
    let startKey = cursor.k;
    const entries: LedgerEntry[] = [];
    const { expression, names, values } = filters(filter, false);
    for (let queries = 0; day <= filter.to; queries++) {
      if (queries >= MAX_QUERIES) return { entries, cursor: writeCursor({ d: day, ...(startKey ? { k: startKey } : {}) }) };
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: 'listPk = :pk',
          ...(expression ? { FilterExpression: expression, ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ':pk': `LEDGERDAY#${day}`, ...values },
          Limit: filter.limit - entries.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      entries.push(...(out.Items ?? []).map(toEntry));
      startKey = out.LastEvaluatedKey;
      if (!startKey) day = nextDay(day);
      if (entries.length >= filter.limit)
        return day <= filter.to ? { entries, cursor: writeCursor({ d: day, ...(startKey ? { k: startKey } : {}) }) } : { entries };
    }
    return { entries };
  }

  async listWallet(walletId: string, filter: LedgerFilter): Promise<LedgerPage> {
    let startKey: Record<string, unknown> | undefined = readCursor(filter.cursor).k;
    // The start key must be one of this wallet's ledger items (begins_with(sk, ledger)), else DynamoDB refuses it.
    if (startKey && (!isStartKey(startKey, ['pk', 'sk']) || startKey.pk !== keys.wallet(walletId).pk || !String(startKey.sk).startsWith(keys.ledgerPrefix)))
      throw badCursor();
    const entries: LedgerEntry[] = [];
    const { expression, names, values } = filters(filter, true);
    for (let queries = 0; ; queries++) {
      if (queries >= MAX_QUERIES) return { entries, cursor: writeCursor({ ...(startKey ? { k: startKey } : {}) }) };
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ledger)',
          FilterExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': keys.wallet(walletId).pk, ':ledger': keys.ledgerPrefix, ...values },
          Limit: Math.max(filter.limit - entries.length, 50),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const items = out.Items ?? [];
      for (const [i, item] of items.entries()) {
        entries.push(toEntry(item));
        if (entries.length >= filter.limit) {
          const last = i < items.length - 1 || out.LastEvaluatedKey ? { pk: item.pk, sk: item.sk } : undefined;
          return last ? { entries, cursor: writeCursor({ k: last }) } : { entries };
        }
      }
      startKey = out.LastEvaluatedKey;
      if (!startKey) return { entries };
    }
  }

  async walletOfUser(userId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.user(userId), ProjectionExpression: 'walletId' }));
    return typeof Item?.walletId === 'string' ? Item.walletId : undefined;
  }
}

function filters(filter: LedgerFilter, byTime: boolean) {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (byTime) {
    parts.push('#at BETWEEN :from AND :to');
    names['#at'] = 'at';
    values[':from'] = filter.from;
    // Every time of the last day sorts below `<day>T~`.
    values[':to'] = `${filter.to}T~`;
  }
  if (filter.kind) {
    parts.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = filter.kind;
  }
  if (filter.reference) {
    parts.push('#reference = :reference');
    names['#reference'] = 'reference';
    values[':reference'] = filter.reference;
  }
  return { expression: parts.length > 0 ? parts.join(' AND ') : undefined, names, values };
}

function toEntry(item: Record<string, unknown>): LedgerEntry {
  return {
    walletId: String(item.walletId),
    seq: Number(item.seq),
    kind: String(item.kind) as LedgerKind,
    amount: micros(Number(item.amount)),
    balanceAfter: micros(Number(item.balanceAfter)),
    reference: String(item.reference ?? ''),
    at: String(item.at),
  };
}

/** A calendar day (2026-13-01 would make nextDay throw). */
const isDay = (day: unknown): day is string =>
  typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(Date.parse(`${day}T00:00:00Z`) || 0).toISOString().startsWith(day);

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function readCursor(text: string | undefined): Cursor {
  if (!text) return {};
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof cursor !== 'object' ||
      cursor === null ||
      Array.isArray(cursor) ||
      Object.keys(cursor).some((name) => name !== 'd' && name !== 'k') ||
      (cursor.d !== undefined && !isDay(cursor.d))
    )
      throw new Error('bad');
    return cursor;
  } catch {
    throw badCursor();
  }
}

const badCursor = () => new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');

const writeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
