// Reading many orders at once: a Query per dense page range, BatchGetItem for scattered ids, and the status view
// converted straight from the wire format.
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { setTimeout } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { micros } from '../../shared/money.js';
import type { OrderStatusView } from '../../orders/domain/orders.js';
import { keys } from './keys.js';

// Items come in the wire format and `convert` reads them. A status view picks its dozen values directly: the
// document client's conversion of 100 orders took about as long as the whole read of a single order.
export async function readOrders<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  ids: number[],
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> },
  convert: (item: Record<string, AttributeValue>) => T,
): Promise<Map<number, T>> {
  const found = new Map<number, T>();
  const wanted = new Set(ids);
  const { ranges, singles } = planOrderReads([...wanted]);
  const keep = (item: Record<string, AttributeValue>) => {
    const id = Number(item.id?.N);
    if (wanted.has(id)) found.set(id, convert(item));
  };
  const chunks: number[][] = [];
  for (let i = 0; i < singles.length; i += 25) chunks.push(singles.slice(i, i + 25));
  await Promise.all([
    ...ranges.map(async ({ first, last, ids: rangeIds }) => {
      // A range with other orders in it: the filter keeps those off the wire (they are still read and billed).
      const filter =
        last - first + 1 > rangeIds.length
          ? { expression: `#id IN (${rangeIds.map((_, i) => `:id${i}`).join(', ')})`, values: Object.fromEntries(rangeIds.map((id, i) => [`:id${i}`, id])) }
          : undefined;
      const input = {
        TableName: tableName,
        KeyConditionExpression: 'pk = :page AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: marshall({
          ':page': keys.orderPage(first),
          ':first': keys.order(first).sk,
          ':last': keys.order(last).sk,
          ...filter?.values,
        }),
        ...projection,
        ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: { ...projection.ExpressionAttributeNames, '#id': 'id' } } : {}),
      };
      // Pages beyond the first only when the range holds over 1 MB (orders with long comment lists).
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await db.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
        for (const item of page.Items ?? []) keep(item);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
    // Chunks of 25 read in parallel: the same read units as one 100-key batch, a quarter of the wait.
    ...chunks.map(async (chunk) => {
      const pages = batchGetPages(db, { RequestItems: { [tableName]: { Keys: chunk.map((id) => marshall(keys.order(id))), ...projection } } });
      for await (const page of pages) for (const item of page.Responses?.[tableName] ?? []) keep(item);
    }),
  ]);
  return found;
}

/**
 * The pages of a BatchGetItem, in the wire format. Keys DynamoDB leaves unprocessed (it does so when throttled) are
 * asked for again after a growing, jittered pause, as AWS advises, rather than at once. (The SDK's paginator for
 * this takes only the low-level client class, not the document client that sends these commands.)
 */
export async function* batchGetPages(db: DynamoDBDocumentClient, input: BatchGetItemCommandInput): AsyncGenerator<BatchGetItemCommandOutput> {
  let retries = 0;
  let requestItems = input.RequestItems;
  while (requestItems && Object.keys(requestItems).length > 0) {
    const page = await db.send(new BatchGetItemCommand({ ...input, RequestItems: requestItems }));
    yield page;
    requestItems = page.UnprocessedKeys;
    if (requestItems && Object.keys(requestItems).length > 0) await setTimeout(Math.min(1_000, 25 * 2 ** retries++) * (0.5 + Math.random() / 2));
  }
}

/**
 * How to read a set of orders: a Query over the id range of a page where the wanted ids are dense enough that the
 * range costs no more than reading them one by one (an item read costs a whole read unit, a Query a unit per 4 KB
 * read in all, and an order is well under 1 KB), and BatchGetItem for the rest.
 */
export function planOrderReads(ids: number[]): { ranges: OrderRange[]; singles: number[] } {
  const byPage = new Map<string, number[]>();
  for (const id of ids) {
    const page = keys.orderPage(id);
    const pageIds = byPage.get(page);
    if (pageIds) pageIds.push(id);
    else byPage.set(page, [id]);
  }
  const ranges: OrderRange[] = [];
  const singles: number[] = [];
  for (const pageIds of byPage.values()) {
    pageIds.sort((a, b) => a - b);
    const first = pageIds[0]!;
    const last = pageIds.at(-1)!;
    if (pageIds.length < MIN_IDS_FOR_RANGE || last - first + 1 > pageIds.length * MAX_RANGE_PER_WANTED_ID) {
      singles.push(...pageIds);
      continue;
    }
    ranges.push({ first, last, ids: pageIds });
  }
  return { ranges, singles };
}

/** Consecutive ids of one page, `ids` the wanted ones among them (at most a page, so within the 100 operands of IN). */
interface OrderRange {
  first: number;
  last: number;
  ids: number[];
}

const MIN_IDS_FOR_RANGE = 2;
/** At most this many orders read per wanted one: four orders of about 1 KB fit in one read unit of a Query. */
const MAX_RANGE_PER_WANTED_ID = 4;

// Only what a status answer shows, as whole top-level attributes: each one returned costs time per order, and
// nested paths cost more.
const STATUS_ATTRIBUTES = [
  'id',
  'ownerId',
  'charge',
  'refunded',
  'startCount',
  'status',
  'phase',
  'remains',
  'units',
  'runs',
  'serviceType',
  'posts',
  'expiry',
] as const;
/** Of the names above, the DynamoDB reserved words, which an expression must name through a placeholder. */
const RESERVED: ReadonlySet<string> = new Set(['status']);
export const STATUS_PROJECTION = {
  ProjectionExpression: STATUS_ATTRIBUTES.map((name) => (RESERVED.has(name) ? `#${name}` : name)).join(', '),
  ExpressionAttributeNames: Object.fromEntries([...RESERVED].map((name) => [`#${name}`, name])),
};

export function toStatusView(item: Record<string, AttributeValue>): OrderStatusView {
  const number = (name: (typeof STATUS_ATTRIBUTES)[number]) => (item[name]?.N === undefined ? undefined : Number(item[name].N));
  const view: OrderStatusView = {
    id: Number(item.id?.N),
    ownerId: String(item.ownerId?.S),
    charge: micros(Number(item.charge?.N)),
    refunded: micros(Number(item.refunded?.N)),
    status: item.status?.S as OrderStatusView['status'],
    phase: item.phase?.S as OrderStatusView['phase'],
  };
  const serviceType = item.serviceType?.S as OrderStatusView['serviceType'];
  if (serviceType !== undefined) view.serviceType = serviceType;
  for (const name of ['startCount', 'remains', 'units', 'runs', 'posts'] as const) {
    const value = number(name);
    if (value !== undefined) view[name] = value;
  }
  if (item.expiry?.S !== undefined) view.expiry = item.expiry.S;
  return view;
}
