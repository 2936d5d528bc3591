// The admin API's orders in DynamoDB: the list over every owner (index admin-lists, one partition per UTC day, walked
// newest first), the order's timeline and ledger entries, an admin's partial refund (moveMoney's one transaction)
// and notes, and the few writes the admin actions make on the order before the spine's own steps take over.
import { DynamoPendingReadings } from './pending-readings.js';
import type { PendingReading } from '../../orders/domain/ambiguous-readings.js';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminOrderStore, AdminOrderSummary, AdminOrdersQuery, AdminRefund, ListReads, TimelineEntry } from '../../admin/orders-ports.js';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { Order } from '../../orders/domain/orders.js';
import { DomainError } from '../../shared/errors.js';
import { type Micros, addMoney, formatMoney, micros } from '../../shared/money.js';
import type { LedgerEntry } from '../../wallets/ports.js';
import { auditPut } from './audit-log.js';
import { keys } from './keys.js';
import { toEntry } from './wallet-store.js';
import { orderLogItem, orderLogPrefix } from './order-call-log.js';
import { toOrder } from './order-progress.js';
import { readOrders } from './order-reads.js';
import { TABLE_DESIGN } from './table-design.js';
import { settleLeaseOf } from './balance-lease.js';
import { moveMoney } from './wallet-transaction.js';

const lists = TABLE_DESIGN.adminListsIndex;
const owners = TABLE_DESIGN.ownerOrdersIndex;
/** Index items read per Query when a filter may drop most of them. */
const FILTERED_READ = 200;
/** A request stops after this many Queries (an empty day costs one, 0.5 read units) or this many items read. */
export const MAX_LIST_QUERIES = 32;
export const MAX_LIST_ITEMS_READ = 1000;
/** Without `from`, the day walk stops this many days before `to` (or now). */
export const DEFAULT_LIST_DAYS = 90;
const DAY_MS = 86_400_000;
/** Ledger items read for one order's entries at most (newest first, down to the order's creation). */
const LEDGER_READ = 1000;

interface ListCursor {
  /** The day to go on reading (`yyyy-mm-dd`). */
  d: string;
  /** Strictly below this sort key of that day; absent: from the day's newest. */
  k?: string;
}

export class DynamoAdminOrders implements AdminOrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly today: () => Date = () => new Date(),
  ) {}

  async listOrders(query: AdminOrdersQuery): Promise<{ orders: AdminOrderSummary[]; cursor?: string; reads: ListReads }> {
    return query.userId !== undefined ? this.listOwnerOrders(query) : this.listByDay(query);
  }

  /** Every owner: the days' partitions of admin-lists, newest first, filtered; at most MAX_LIST_QUERIES Queries. */
  private async listByDay(query: AdminOrdersQuery): Promise<{ orders: AdminOrderSummary[]; cursor?: string; reads: ListReads }> {
    const reads: ListReads = { queries: 0, itemsRead: 0 };
    const top = query.to ?? this.today().toISOString();
    const bottom = query.from ?? new Date(Date.parse(top) - DEFAULT_LIST_DAYS * DAY_MS).toISOString();
    const lastDay = bottom.slice(0, 10);
    let at: ListCursor = query.cursor ? readCursor(query.cursor) : { d: top.slice(0, 10) };
    // 'owner' is the other list's; a day above the range's top is from another request.
    if (at.d === 'owner' || at.d > top.slice(0, 10)) throw new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
    const { names, values, filters } = listFilters(query);
    const orders: AdminOrderSummary[] = [];
    let start: Record<string, unknown> | undefined;
    while (reads.queries < MAX_LIST_QUERIES && reads.itemsRead < MAX_LIST_ITEMS_READ) {
      if (at.d < lastDay) return { orders, reads };
      const high = at.k ?? (at.d === top.slice(0, 10) ? `${top}#999999999999` : `${at.d}T23:59:59.999Z#999999999999`);
      const low = at.d === lastDay ? bottom : `${at.d}T00:00:00.000Z`;
      // A cursor's key below the range's bottom (edited, or from another range): nothing left in the range.
      if (high < low) return { orders, reads };
      const wanted = query.limit - orders.length;
      const response = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: lists.name,
          KeyConditionExpression: 'listPk = :pk AND listSk BETWEEN :low AND :high',
          ExpressionAttributeValues: { ...values, ':pk': `ORDERDAY#${at.d}`, ':low': low, ':high': high },
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
          ScanIndexForward: false,
          Limit: filters.length > 0 ? Math.max(FILTERED_READ, wanted + 1) : wanted + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      reads.queries++;
      reads.itemsRead += response.ScannedCount ?? 0;
      for (const item of response.Items ?? []) {
        if (orders.length === query.limit)
          return { orders, reads, cursor: writeCursor({ d: at.d, k: previousSortKey(String(orders.at(-1)!.createdAt), orders.at(-1)!.id) }) };
        orders.push(toSummary(item));
      }
      start = response.LastEvaluatedKey;
      if (start) {
        at = { d: at.d, k: previousKey(String(start.listSk)) };
        start = undefined;
      } else {
        at = { d: new Date(Date.parse(`${at.d}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10) };
      }
    }
    return { orders, reads, ...(at.d >= lastDay ? { cursor: writeCursor(at) } : {}) };
  }

  /** One owner: the owner-orders index (which does not hold the provider: read from the orders' pages, a Query per page). */
  private async listOwnerOrders(query: AdminOrdersQuery): Promise<{ orders: AdminOrderSummary[]; cursor?: string; reads: ListReads }> {
    const reads: ListReads = { queries: 0, itemsRead: 0 };
    const { names, values, filters } = listFilters({ ...query, providerId: undefined, userId: undefined });
    const at = query.cursor ? readCursor(query.cursor) : undefined;
    if (at && at.d !== 'owner') throw new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
    let high = query.to === undefined ? undefined : `${query.to}#999999999999`;
    if (at?.k !== undefined && (high === undefined || at.k < high)) high = at.k;
    const low = query.from;
    if (low !== undefined && high !== undefined && high < low) return { orders: [], reads };
    const orders: AdminOrderSummary[] = [];
    let start: Record<string, unknown> | undefined;
    let stoppedBelow: string | undefined;
    while (reads.queries < MAX_LIST_QUERIES && reads.itemsRead < MAX_LIST_ITEMS_READ) {
      const range =
        low !== undefined && high !== undefined
          ? ' AND ownerSk BETWEEN :low AND :high'
          : low !== undefined
            ? ' AND ownerSk >= :low'
            : high !== undefined
              ? ' AND ownerSk <= :high'
              : '';
      const wanted = query.limit - orders.length;
      const response = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: owners.name,
          KeyConditionExpression: `ownerPk = :pk${range}`,
          ExpressionAttributeValues: {
            ...values,
            ':pk': keys.ownerOrders(query.userId!),
            ...(low !== undefined ? { ':low': low } : {}),
            ...(high !== undefined ? { ':high': high } : {}),
          },
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
          ScanIndexForward: false,
          Limit: filters.length > 0 || query.providerId ? Math.max(FILTERED_READ, wanted + 1) : wanted + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      reads.queries++;
      reads.itemsRead += response.ScannedCount ?? 0;
      const page = (response.Items ?? []).map((item) => ({ ...toSummary({ ...item, ownerId: query.userId }), sortKey: String(item.ownerSk) }));
      // The provider is not in the owner-orders index: read it from the orders (an owner's orders share few pages).
      const providers =
        page.length > 0
          ? await readOrders(
              this.db,
              this.tableName,
              page.map((o) => o.id),
              { ProjectionExpression: 'id, providerId' },
              (item) => item.providerId?.S,
            )
          : new Map<number, string | undefined>();
      for (const { sortKey, ...order } of page) {
        const providerId = providers.get(order.id);
        if (query.providerId !== undefined && providerId !== query.providerId) continue;
        if (orders.length === query.limit) return { orders, reads, cursor: writeCursor({ d: 'owner', k: stoppedBelow! }) };
        orders.push({ ...order, ...(providerId ? { providerId } : {}) });
        stoppedBelow = previousKey(sortKey);
      }
      start = response.LastEvaluatedKey;
      if (!start) return { orders, reads };
      stoppedBelow = previousKey(String(start.ownerSk));
    }
    return { orders, reads, cursor: writeCursor({ d: 'owner', k: stoppedBelow! }) };
  }

  pendingReading(order: Pick<Order, 'id' | 'providerId'>): Promise<PendingReading | undefined> {
    return new DynamoPendingReadings(this.db, this.tableName).get(order.providerId, order.id);
  }

  async getOrder(id: number): Promise<(Order & { finalizedAt?: string }) | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.order(id), ConsistentRead: true }));
    if (!Item) return undefined;
    return { ...toOrder(Item), ...(Item.finalizedAt ? { finalizedAt: String(Item.finalizedAt) } : {}) };
  }

  async timeline(orderId: number): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const response = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.orderPage(orderId), ':prefix': orderLogPrefix(orderId) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of response.Items ?? []) {
        const { pk: _pk, sk: _sk, entity: _entity, orderId: _orderId, providerId: _providerId, ...entry } = item;
        entries.push(entry as TimelineEntry);
      }
      start = response.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  async ledgerOf(order: Order): Promise<{ entries: LedgerEntry[]; complete: boolean }> {
    // The wallet's ledger has no index by reference: read it newest first down to the order's charge (every entry of
    // an order comes at or after its creation), at most LEDGER_READ items.
    const reference = `order:${order.id}`;
    const found: LedgerEntry[] = [];
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const response = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.wallet(order.walletId).pk, ':prefix': keys.ledgerPrefix },
          ScanIndexForward: false,
          Limit: 200,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of response.Items ?? []) {
        read++;
        if (item.reference === reference) found.unshift(toEntry(order.walletId, item));
        if (String(item.at) < order.createdAt || (item.reference === reference && item.kind === 'order_charge')) return { entries: found, complete: true };
      }
      start = response.LastEvaluatedKey;
    } while (start && read < LEDGER_READ);
    return { entries: found, complete: !start };
  }

  async refund(refund: AdminRefund): Promise<{ replayed: boolean; refunded: Micros }> {
    const { order, amount, at } = refund;
    const marker = keys.idempotency('admin-refund', refund.idempotencyKey);
    const earlier = await this.replayOf(marker, order.id, amount);
    if (earlier) return earlier;
    // Its charge must be in the ledger before its refund: the lease that paid for it settles first.
    await settleLeaseOf(this.db, this.tableName, order, at);
    const result = await moveMoney(this.db, this.tableName, {
      walletId: order.walletId,
      amount,
      kind: 'order_refund',
      reference: `order:${order.id}`,
      at,
      companions: [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.order(order.id),
            UpdateExpression: 'SET refunded = refunded + :amount, updatedAt = :at',
            // Never past the charge: what was refunded before may be at most the charge less this refund.
            ConditionExpression: 'phase = :finalized AND refunded <= :maxBefore',
            ExpressionAttributeValues: { ':amount': amount, ':at': at, ':finalized': 'finalized', ':maxBefore': order.charge - amount },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...marker, entity: 'idempotency', orderId: order.id, amount, at },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditPut(this.tableName, refund.audit),
        {
          Put: {
            TableName: this.tableName,
            Item: orderLogItem(order.id, at, {
              kind: 'action',
              action: 'refund',
              actor: refund.audit.actor,
              ...(refund.audit.actorEmail ? { actorEmail: refund.audit.actorEmail } : {}),
              text: `Refunded ${formatMoney(amount, 2)}: ${refund.reason}`,
            }),
          },
        },
      ],
    });
    if (result === 'applied') return { replayed: false, refunded: addMoney(order.refunded, amount) };
    // A condition failed: a retry that raced the first (replay), or the order changed since it was read.
    const replay = await this.replayOf(marker, order.id, amount);
    if (replay) return replay;
    const now = await this.getOrder(order.id);
    if (now?.phase !== 'finalized') throw new DomainError('order_not_finalized', 'Only a settled order can be refunded by hand; cancel an open one');
    throw new DomainError(
      'refund_exceeds_charge',
      `At most ${formatMoney(micros(now.charge - now.refunded), 2)} of this order's charge is left to refund`,
      'amount',
    );
  }

  private async replayOf(marker: { pk: string; sk: string }, orderId: number, amount: Micros): Promise<{ replayed: true; refunded: Micros } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: marker, ConsistentRead: true }));
    if (!Item) return undefined;
    if (Number(Item.orderId) !== orderId || Number(Item.amount) !== amount)
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for another refund', 'Idempotency-Key');
    const order = await this.getOrder(orderId);
    return { replayed: true, refunded: order!.refunded };
  }

  async addNote(
    orderId: number,
    note: { text: string; actor: string; actorEmail?: string; at: string; idempotencyKey?: string },
    audit: AuditEntry,
  ): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: orderLogItem(orderId, note.at, {
                  kind: 'note',
                  action: 'note',
                  actor: note.actor,
                  ...(note.actorEmail ? { actorEmail: note.actorEmail } : {}),
                  text: note.text,
                }),
              },
            },
            auditPut(this.tableName, audit),
            ...(note.idempotencyKey
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: { ...keys.idempotency('admin-note', `${orderId}#${note.idempotencyKey}`), entity: 'idempotency', orderId, at: note.at },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      // The same key again: the note is there already.
      if (note.idempotencyKey && (error as Error).name === 'TransactionCanceledException') {
        const { Item } = await this.db.send(
          new GetCommand({ TableName: this.tableName, Key: keys.idempotency('admin-note', `${orderId}#${note.idempotencyKey}`), ConsistentRead: true }),
        );
        if (Item) return;
      }
      throw error;
    }
  }
}

function listFilters(query: AdminOrdersQuery) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  if (query.status !== undefined) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = query.status;
  }
  if (query.serviceId !== undefined) {
    filters.push('serviceId = :service');
    values[':service'] = query.serviceId;
  }
  if (query.providerId !== undefined) {
    filters.push('providerId = :provider');
    values[':provider'] = query.providerId;
  }
  if (query.userId !== undefined) {
    filters.push('ownerId = :owner');
    values[':owner'] = query.userId;
  }
  if (query.link !== undefined) {
    filters.push('contains(#link, :link)');
    names['#link'] = 'link';
    values[':link'] = query.link;
  }
  return { names, values, filters };
}

function toSummary(item: Record<string, unknown>): AdminOrderSummary {
  return {
    id: Number(item.id),
    ownerId: String(item.ownerId),
    serviceId: Number(item.serviceId),
    ...(item.providerId !== undefined ? { providerId: String(item.providerId) } : {}),
    link: String(item.link),
    quantity: Number(item.quantity),
    charge: micros(Number(item.charge)),
    refunded: micros(Number(item.refunded)),
    status: item.status as AdminOrderSummary['status'],
    createdAt: String(item.createdAt),
  };
}

const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#\d{12}$/;

const writeCursor = (cursor: ListCursor) => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

function readCursor(text: string): ListCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ListCursor;
    const dayOk = cursor.d === 'owner' || (/^\d{4}-\d{2}-\d{2}$/.test(cursor.d) && isRealTime(`${cursor.d}T00:00:00.000Z`));
    // A day's cursor resumes inside that day.
    const keyOk =
      cursor.k === undefined || (SORT_KEY.test(cursor.k) && isRealTime(cursor.k.slice(0, 24)) && (cursor.d === 'owner' || cursor.k.startsWith(cursor.d)));
    if (dayOk && keyOk) return cursor;
  } catch {
    // answered below
  }
  throw new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
}

/** A calendar time as toISOString writes it (no 2026-13-01, no 25:00): what date arithmetic on a cursor needs. */
function isRealTime(iso: string): boolean {
  const ms = Date.parse(iso);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === iso;
}

/** The sort key just below an order's own (`<createdAt>#<id>`): the next page starts strictly below the last order shown. */
function previousSortKey(createdAt: string, id: number): string {
  return previousKey(`${createdAt}#${String(id).padStart(12, '0')}`);
}

function previousKey(sortKey: string): string {
  const [at, id] = sortKey.split('#') as [string, string];
  const previous = Number(id) - 1;
  if (previous >= 0) return `${at}#${String(previous).padStart(12, '0')}`;
  return `${new Date(Date.parse(at) - 1).toISOString()}#999999999999`;
}
