// The wallet-contention bench's seam on a container's DynamoDB client: middleware that asks every call for its
// consumed capacity (table and indexes) and counts calls, transactions, cancellations and write units, per HTTP attempt (inside the
// SDK's retries). Domain and adapter code know nothing of it.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface CallCounts {
  reads: number;
  writes: number;
  transactWrites: number;
  canceled: number;
  /** Cancellation reasons other than None, by code (ConditionalCheckFailed: a stale sequence number; TransactionConflict; ThrottlingError). */
  reasons: Record<string, number>;
  /** Calls by operation (GetItem, Query, PutItem, TransactWriteItems, ...), attempts included. */
  operations: Record<string, number>;
  /** Errors other than a cancellation, by name (throttling, conflicts the SDK gave up on). */
  errors: Record<string, number>;
  /** Write units DynamoDB reported (ReturnConsumedCapacity TOTAL) for the writes that succeeded. */
  measuredWcu: number;
  /** Write units of the canceled transactions, which report none: 2 per item and KB written, as AWS bills them. */
  canceledWcu: number;
  /** The same estimate for the transactions that succeeded, to check it against the measured figure ... */
  estimatedCommittedWcu: number;
  /** ... which is their base table's part of the measured units (ReturnConsumedCapacity INDEXES). */
  committedTableWcu: number;
}

export const emptyCounts = (): CallCounts => ({
  reads: 0,
  writes: 0,
  transactWrites: 0,
  canceled: 0,
  reasons: {},
  operations: {},
  errors: {},
  measuredWcu: 0,
  canceledWcu: 0,
  estimatedCommittedWcu: 0,
  committedTableWcu: 0,
});

export function addCounts(into: CallCounts, from: CallCounts): void {
  for (const key of ['reads', 'writes', 'transactWrites', 'canceled', 'measuredWcu', 'canceledWcu', 'estimatedCommittedWcu', 'committedTableWcu'] as const)
    into[key] += from[key];
  for (const [code, n] of Object.entries(from.reasons)) into.reasons[code] = (into.reasons[code] ?? 0) + n;
  for (const [name, n] of Object.entries(from.errors)) into.errors[name] = (into.errors[name] ?? 0) + n;
  for (const [name, n] of Object.entries(from.operations)) into.operations[name] = (into.operations[name] ?? 0) + n;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type AttributeValue = {
  S?: string;
  N?: string;
  B?: Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
} & Record<string, unknown>;

/** DynamoDB's item size rule, near enough: names and values in bytes, numbers about one byte per two digits. */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-/, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.M !== undefined) return 3 + itemSize(value.M);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  return 1;
}

function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

/** A transaction's write units as AWS counts them: 2 per KB of each item written; updates and checks of small items 2. */
function transactionWcu(items: { Put?: { Item?: Record<string, AttributeValue> } }[]): number {
  return items.reduce((sum, item) => sum + 2 * Math.max(1, Math.ceil((item.Put?.Item ? itemSize(item.Put.Item) : 0) / 1024)), 0);
}

type Handler = (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>;

/** Meters every call of `db` into `counts`. */
export function meterCalls(db: DynamoDBDocumentClient, counts: CallCounts): void {
  db.middlewareStack.add(
    ((next: Handler, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (READS.has(operation) || WRITES.has(operation)) args.input.ReturnConsumedCapacity = 'INDEXES';
      return next(args);
    }) as never,
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  db.middlewareStack.add(
    ((next: Handler, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const write = WRITES.has(operation);
      if (write) counts.writes++;
      else if (READS.has(operation)) counts.reads++;
      if (operation === 'TransactWriteItems') counts.transactWrites++;
      counts.operations[operation] = (counts.operations[operation] ?? 0) + 1;
      try {
        const result = await next(args);
        if (write) {
          type Consumed = { CapacityUnits?: number; Table?: { CapacityUnits?: number } };
          const consumed = [(result.output.ConsumedCapacity as Consumed | Consumed[] | undefined) ?? []].flat();
          // CapacityUnits is the total: the table's and every index's.
          counts.measuredWcu += consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
          if (operation === 'TransactWriteItems') {
            counts.estimatedCommittedWcu += transactionWcu(args.input.TransactItems as never);
            counts.committedTableWcu += consumed.reduce((sum, c) => sum + (c.Table?.CapacityUnits ?? 0), 0);
          }
        }
        return result;
      } catch (error) {
        const failure = error as { name?: string; CancellationReasons?: { Code?: string }[] };
        if (failure.name === 'TransactionCanceledException') {
          counts.canceled++;
          counts.canceledWcu += transactionWcu(args.input.TransactItems as never);
          for (const reason of failure.CancellationReasons ?? [])
            if (reason.Code && reason.Code !== 'None') counts.reasons[reason.Code] = (counts.reasons[reason.Code] ?? 0) + 1;
        } else counts.errors[failure.name ?? 'unknown'] = (counts.errors[failure.name ?? 'unknown'] ?? 0) + 1;
        throw error;
      }
    }) as never,
    // Ahead of the deserializer (typed errors, parsed output) and inside the retry middleware: one count per attempt.
    { step: 'deserialize', priority: 'high', name: 'benchCallMeter' },
  );
}
