// An owner's orders, newest first, from the owner-orders index. The sort key is `<createdAt>#<id>`, so a time range
// is a key range, and the cursor is the sort key of the last order returned: the next page starts strictly below
// it, whatever was added above it meanwhile, so paging while orders are placed skips and repeats nothing.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../shared/errors.js';
import { micros } from '../../shared/money.js';
import type { OrderSummary, OwnerOrdersQuery } from '../../orders/ports.js';
import { keys } from './keys.js';
import { TABLE_DESIGN } from './table-design.js';

const index = TABLE_DESIGN.ownerOrdersIndex;
/** Index items read per Query when a filter may drop most of them, and Queries per page at most. */
const FILTERED_READ = 200;
const MAX_QUERIES = 5;
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#\d{12}$/;

export async function listOwnerOrders(
  db: DynamoDBDocumentClient,
  tableName: string,
  query: OwnerOrdersQuery,
): Promise<{ orders: OrderSummary[]; cursor?: string }> {
  const after = query.cursor === undefined ? undefined : readCursor(query.cursor);
  const low = query.from;
  // Strictly below the cursor: the sort key of the same time with the id one lower, and everything before it.
  let high = query.to === undefined ? undefined : `${query.to}#999999999999`;
  if (after !== undefined) {
    const below = previousKey(after);
    if (below === undefined) return { orders: [] };
    if (high === undefined || below < high) high = below;
  }
  if (low !== undefined && high !== undefined && low > high) return { orders: [] };

  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': keys.ownerOrders(query.ownerId) };
  let condition = 'ownerPk = :pk';
  if (low !== undefined && high !== undefined) {
    condition += ' AND ownerSk BETWEEN :low AND :high';
    Object.assign(values, { ':low': low, ':high': high });
  } else if (low !== undefined) {
    condition += ' AND ownerSk >= :low';
    values[':low'] = low;
  } else if (high !== undefined) {
    condition += ' AND ownerSk <= :high';
    values[':high'] = high;
  }
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
  const q = query.q?.trim();
  if (q) {
    names['#link'] = 'link';
    values[':q'] = q;
    if (/^\d{1,15}$/.test(q)) {
      filters.push('(id = :id OR contains(#link, :q))');
      values[':id'] = Number(q);
    } else {
      filters.push('contains(#link, :q)');
    }
  }

  const orders: OrderSummary[] = [];
  let start: Record<string, unknown> | undefined;
  let lastKey: string | undefined;
  for (let queries = 0; queries < MAX_QUERIES; queries++) {
    const wanted = query.limit - orders.length;
    const response = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ScanIndexForward: false,
        // Unfiltered, exactly what the page lacks (one more to know whether there is a next page); filtered, more.
        Limit: filters.length > 0 ? Math.max(FILTERED_READ, wanted + 1) : wanted + 1,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of response.Items ?? []) {
      if (orders.length === query.limit) return { orders, cursor: writeCursor(lastKey!) };
      orders.push(toSummary(item));
      lastKey = String(item.ownerSk);
    }
    start = response.LastEvaluatedKey;
    if (!start) return { orders };
  }
  // Read as much as one request may without filling the page: the client goes on from where the reading stopped.
  const stoppedAt = lastKey !== undefined && orders.length === query.limit ? lastKey : String(start!.ownerSk);
  return { orders, cursor: writeCursor(stoppedAt) };
}

function toSummary(item: Record<string, unknown>): OrderSummary {
  const optional = (name: string) => (item[name] !== undefined ? { [name]: Number(item[name]) } : {});
  return {
    id: Number(item.id),
    serviceId: Number(item.serviceId),
    ...(item.serviceType !== undefined ? { serviceType: item.serviceType as OrderSummary['serviceType'] } : {}),
    link: String(item.link),
    quantity: Number(item.quantity),
    ...optional('runs'),
    ...optional('interval'),
    charge: micros(Number(item.charge)),
    refunded: micros(Number(item.refunded)),
    status: item.status as OrderSummary['status'],
    ...optional('remains'),
    ...optional('startCount'),
    createdAt: String(item.createdAt),
  };
}

const writeCursor = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');

function readCursor(cursor: string): string {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!SORT_KEY.test(sortKey)) throw new DomainError('invalid_request', 'The cursor is not one this list gave', 'cursor');
  return sortKey;
}

/** The greatest sort key below this one: the same time with the id one lower (ids are unique, never 0 apart). */
function previousKey(sortKey: string): string | undefined {
  const [at, id] = sortKey.split('#') as [string, string];
  const previous = Number(id) - 1;
  if (previous >= 0) return `${at}#${String(previous).padStart(12, '0')}`;
  // Id 0 at this time: everything strictly earlier.
  const earlier = new Date(Date.parse(at) - 1);
  return Number.isNaN(earlier.getTime()) || earlier.getTime() < 0 ? undefined : `${earlier.toISOString()}#999999999999`;
}
