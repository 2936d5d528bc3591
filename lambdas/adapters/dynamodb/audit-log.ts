// The audit log in the table: one item per entry under its UTC day (`AUDIT#<yyyy-mm-dd>`, sorted by time), written
// alone (record) or inside the transaction of the change it describes (auditPut).
import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { AuditLog, AuditPage, AuditQuery, AuditSearch } from '../../audit/ports.js';
import { DomainError } from '../../shared/errors.js';
import { keys } from './keys.js';

/** The Put of an entry, to add to a TransactWriteItems. */
export function auditPut(tableName: string, entry: AuditEntry) {
  const sortKey = `${entry.at}#${randomBytes(6).toString('hex')}`;
  return { Put: { TableName: tableName, Item: { ...keys.audit(entry.at.slice(0, 10), sortKey), entity: 'audit', ...entry } } };
}

/**
 * Puts a new item and its audit entry in one transaction: 'exists' (and nothing written) when an item with the same
 * key is already there.
 */
export async function putNewWithAudit(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  entry: AuditEntry,
): Promise<'created' | 'exists'> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }, auditPut(tableName, entry)],
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'exists';
    throw error;
  }
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand(auditPut(this.tableName, entry).Put));
  }
}

/** Queries per page at most (each reads up to READ_PER_QUERY items of one day, filtered server-side). */
const MAX_QUERIES = 8;
const READ_PER_QUERY = 200;
const DAY_MS = 86_400_000;

/**
 * The search: one Query per UTC day partition (`AUDIT#<day>`, sort key `<at>#<nonce>`), newest first, with the
 * filters as a FilterExpression. At most MAX_QUERIES Queries per page, so a page costs at most 8 x 200 items read
 * (about 8 x 25 read units for 1 KB entries, eventually consistent), however sparse the matches; the cursor says
 * where the next page starts (a day, and the last key read in it).
 */
export class DynamoAuditSearch implements AuditSearch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async search(query: AuditQuery): Promise<AuditPage> {
    const firstDay = query.from.slice(0, 10);
    let position = query.cursor ? readCursor(query.cursor) : { day: query.to.slice(0, 10), after: undefined as string | undefined };
    // A start key outside the sort key's BETWEEN is a ValidationException: a cursor from another range (or edited).
    if (position.day > query.to.slice(0, 10)) throw badCursor();
    if (position.after !== undefined && (position.after < query.from || position.after > `${query.to}~` || !position.after.startsWith(position.day))) {
      throw badCursor();
    }
    const entries: AuditEntry[] = [];
    const filter = filterOf(query);
    for (let queries = 0; queries < MAX_QUERIES; queries++) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(filter.expression ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
          ExpressionAttributeValues: { ':pk': keys.audit(position.day, '').pk, ':from': query.from, ':to': `${query.to}~`, ...filter.values },
          ...(position.after ? { ExclusiveStartKey: keys.audit(position.day, position.after) } : {}),
          ScanIndexForward: false,
          Limit: Math.min(READ_PER_QUERY, Math.max(query.limit - entries.length, 1) * 4),
        }),
      );
      for (const item of page.Items ?? []) {
        if (entries.length === query.limit) break;
        entries.push(toEntry(item));
        position = { day: position.day, after: String(item.sk) };
      }
      const last = page.LastEvaluatedKey?.sk;
      if (entries.length === query.limit) {
        // Stopped inside the day: the next page resumes after the last entry given.
        return { entries, nextCursor: writeCursor(position.day, position.after) };
      }
      if (last !== undefined) {
        position = { day: position.day, after: String(last) };
        continue;
      }
      const previous = new Date(Date.parse(`${position.day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
      if (previous < firstDay) return { entries, nextCursor: null };
      position = { day: previous, after: undefined };
    }
    return { entries, nextCursor: writeCursor(position.day, position.after) };
  }
}

function filterOf(query: AuditQuery): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.actor) {
    parts.push('#actor = :actor');
    names['#actor'] = 'actor';
    values[':actor'] = query.actor;
  }
  if (query.action) {
    names['#action'] = 'action';
    if (query.action.endsWith('*')) {
      parts.push('begins_with(#action, :action)');
      values[':action'] = query.action.slice(0, -1);
    } else {
      parts.push('#action = :action');
      values[':action'] = query.action;
    }
  }
  if (query.subject) {
    parts.push('#subject = :subject');
    names['#subject'] = 'subject';
    values[':subject'] = query.subject;
  }
  return { ...(parts.length > 0 ? { expression: parts.join(' AND ') } : {}), names, values };
}

function writeCursor(day: string, after: string | undefined): string {
  return Buffer.from(JSON.stringify(after ? { d: day, k: after } : { d: day })).toString('base64url');
}

function readCursor(cursor: string): { day: string; after: string | undefined } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { d?: unknown; k?: unknown };
    const realDay =
      typeof value.d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.d) && new Date(Date.parse(`${value.d}T00:00:00Z`) || 0).toISOString().startsWith(value.d);
    if (realDay && (value.k === undefined || (typeof value.k === 'string' && value.k.length > 0 && value.k.length <= 200)))
      return { day: value.d as string, after: value.k as string | undefined };
  } catch {
    // answered below
  }
  throw badCursor();
}

const badCursor = () => new DomainError('invalid_request', 'cursor: not a cursor of this list; use nextCursor as given', 'cursor');

function toEntry(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk: _sk, entity: _entity, listPk: _listPk, listSk: _listSk, ...entry } = item;
  return entry as unknown as AuditEntry;
}
