// An in-memory DynamoDB for the simulation and the fuzzer: a smithy HttpHandler that answers DynamoDB's JSON protocol
// in process, so every adapter runs unchanged on the real SDK (its serializers, error classes and retries).
// The same cases pass on it and on DynamoDB Local: tests/integration/dynamodb-engine-conformance.test.ts.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { getSchemaSerdePlugin } from '@smithy/core/schema';
import { generateIdempotencyToken } from '@smithy/core/serde';
import { HttpResponse } from '@smithy/core/transport';
import type { DeserializeHandler, HandlerExecutionContext, MiddlewareStack, SerializeHandler } from '@smithy/types';
import type { DynamoDBRecord } from 'aws-lambda';
import { Engine, type EngineSnapshot, cancelled } from './engine.js';
import { DynamoError } from './errors.js';

/**
 * throttle: the call fails as throttled DynamoDB answers it, nothing written.
 * conflict: a transaction is cancelled (TransactionConflict) or a single-item write refused; plain reads never conflict.
 * unprocessed: a BatchGetItem/BatchWriteItem processes only part of the batch and hands the rest back as
 *   UnprocessedKeys/UnprocessedItems (what DynamoDB does under throttling); on any other operation, a throttle.
 * lost-answer: the operation is applied (committed), then answered with a 500 InternalServerError, which the SDK
 *   retries: a transaction's retry carries the same ClientRequestToken and is not applied again, a plain write is.
 */
export type FaultKind = 'throttle' | 'conflict' | 'unprocessed' | 'lost-answer';
/**
 * itemIndex: for a transaction, the item whose cancellation reason carries the fault (default 0); for 'unprocessed',
 * the first entry left unprocessed (default half the batch). Taken modulo the item count; at least one is unprocessed.
 */
export type FaultAnswer = FaultKind | { kind: FaultKind; itemIndex?: number };
export type FaultDecider = (op: { operation: string; table: string; itemCount: number }) => FaultAnswer | undefined;

const DATA_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
]);

const utf8 = new TextDecoder();

const PLAIN_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const BATCHES = new Set(['BatchGetItem', 'BatchWriteItem']);

/** What the shortcut's serializer hands its deserializer in place of an HTTP request: the call, unserialized. */
class InProcessCall {
  constructor(
    readonly operation: string,
    readonly input: Record<string, unknown>,
  ) {}
}

type SerializeMiddleware = (next: SerializeHandler<object, object>, context: HandlerExecutionContext) => SerializeHandler<object, object>;
type DeserializeMiddleware = (next: DeserializeHandler<object, object>, context: HandlerExecutionContext) => DeserializeHandler<object, object>;

interface WireRequest {
  headers: Record<string, string>;
  body?: unknown;
}

export class MemoryDynamo {
  readonly #engine = new Engine();
  #decide: FaultDecider | undefined;
  #requests = 0;

  /** A smithy HttpHandler speaking DynamoDB's JSON protocol (X-Amz-Target DynamoDB_20120810.*), for DynamoDBClient. */
  readonly requestHandler = {
    handle: async (request: WireRequest): Promise<{ response: HttpResponse }> => ({ response: this.answer(request) }),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };

  /**
   * Takes a DynamoDBClient's data calls past the SDK's wire: the serializer hands the engine the marshalled input
   * (copied through JSON, as the wire would) and a successful answer comes back as the output object, where the SDK
   * would write, read and walk JSON against the service's schema (about a third of the simulation's CPU). An error is
   * answered on the wire format and read by the SDK's own deserializer, so its error classes, `$metadata` and the
   * retries that read them are the SDK's; every other middleware (retries, the DocumentClient's marshalling, the
   * adapters' own) runs unchanged. Control-plane calls (CreateTable, DescribeTable...) keep the HTTP path.
   * tests/integration/dynamodb-engine-conformance.test.ts runs its cases on this path too.
   */
  shortcut(client: DynamoDBClient): void {
    const sdk: { serializer?: SerializeMiddleware; deserializer?: DeserializeMiddleware } = {};
    // The SDK's own serde middleware for this client, kept for what the shortcut does not take.
    getSchemaSerdePlugin(client.config as never).applyToStack({
      add: (middleware: unknown, options: { name?: string }) => {
        if (options.name === 'serializerMiddleware') sdk.serializer = middleware as SerializeMiddleware;
        else if (options.name === 'deserializerMiddleware') sdk.deserializer = middleware as DeserializeMiddleware;
      },
    } as unknown as MiddlewareStack<object, object>);
    const { serializer, deserializer } = sdk;
    if (!serializer || !deserializer) throw new Error('The SDK no longer adds serializerMiddleware and deserializerMiddleware');
    const serialize: SerializeMiddleware = (next, context) => {
      const viaWire = serializer(next, context);
      const operation = context.commandName?.replace(/Command$/, '') ?? '';
      if (!DATA_OPERATIONS.has(operation)) return viaWire;
      return async (args) => {
        // A DocumentClient's input was just marshalled into fresh values (the engine keeps no reference the caller
        // holds); a low-level client's is the caller's own, copied as the wire would.
        const input = (usesDocumentClient(context) ? { ...args.input } : JSON.parse(JSON.stringify(args.input))) as Record<string, unknown>;
        // The SDK's serializer fills the idempotency token (a transaction's ClientRequestToken) once, before its
        // retries: a lost answer's retry is then answered from it, not applied again.
        if (operation === 'TransactWriteItems') input.ClientRequestToken ??= generateIdempotencyToken();
        return next({ ...args, request: new InProcessCall(operation, input) });
      };
    };
    const deserialize: DeserializeMiddleware = (next, context) => {
      const viaWire = deserializer(next, context);
      return async (args) => {
        if (!(args.request instanceof InProcessCall)) return viaWire(args);
        const requestId = `mem-${++this.#requests}`;
        let output: Record<string, unknown>;
        try {
          output = this.run(args.request.operation, args.request.input);
        } catch (error) {
          // The SDK reads the error as it would from DynamoDB: same class, fields and $metadata.
          const response = errorReply(error, requestId);
          return deserializer(async () => ({ response, output: {} }), context)(args);
        }
        // The engine's items are its own (copy-on-write): the caller gets copies, as from the wire. A DocumentClient
        // call's items are copied by its unmarshalling (fresh native values), after this middleware.
        const copied = usesDocumentClient(context) ? output : (JSON.parse(JSON.stringify(output)) as Record<string, unknown>);
        return {
          response: new HttpResponse({ statusCode: 200, headers: { 'x-amzn-requestid': requestId } }),
          output: { ...copied, $metadata: { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 } },
        };
      };
    };
    client.middlewareStack.add(serialize as never, { name: 'serializerMiddleware', step: 'serialize', tags: ['SERIALIZER'], override: true });
    client.middlewareStack.add(deserialize as never, { name: 'deserializerMiddleware', step: 'deserialize', tags: ['DESERIALIZER'], override: true });
  }

  /** Increments on every committed write that changed an item; equal before/after = nothing written. */
  get version(): number {
    return this.#engine.version;
  }

  /**
   * Every item of a table, unmarshalled (plain JS values), in key order; with `entities`, only the items whose `entity`
   * attribute is one of them (chosen before unmarshalling: a harness asking often for a few kinds pays for those only).
   */
  items(table: string, entities?: ReadonlySet<string>): Record<string, unknown>[] {
    const items = this.#engine.sortedItems(table);
    const kept = entities ? items.filter((item) => entities.has(String((item.entity as { S?: string } | undefined)?.S))) : items;
    return kept.map((item) => unmarshall(item as never, { wrapNumbers: plainNumber }));
  }

  /** Everything the store holds now (tables, stream records, transaction tokens), to restore() as often as needed. */
  snapshot(): EngineSnapshot {
    return this.#engine.snapshot();
  }

  /** Back to a snapshot: a world set up once, replayed from by each seed. */
  restore(snapshot: EngineSnapshot): void {
    this.#engine.restore(snapshot);
    this.#requests = 0;
  }

  /** Drops all tables and stream records (a fresh world for the next seed). */
  reset(): void {
    this.#engine.reset();
    this.#requests = 0;
  }

  /** Stream records (NEW_AND_OLD_IMAGES, Lambda's DynamoDBStreamEvent record shape) not yet taken, oldest first. */
  takeStreamRecords(max: number): DynamoDBRecord[] {
    return this.#engine.stream.splice(0, Math.max(0, max));
  }

  /** How many stream records wait to be taken. */
  pendingStreamRecords(): number {
    return this.#engine.stream.length;
  }

  /**
   * Answers TransactionConflict as DynamoDB on AWS does and DynamoDB Local never does: for `windowMs` after a write
   * transaction commits, its items count as held by it, and a write transaction touching one is canceled
   * (`TransactionConflict` on each held item) and a single-item write on one refused (TransactionConflictException).
   * Plain reads are not affected; BatchWriteItem and TransactGetItems, which AWS may also refuse, are not. The engine
   * applies a call at once, so this is the same as each transaction holding its items for the last `windowMs` of its
   * call and the later of two overlapping ones losing. A model, not AWS's timing: how long AWS holds an item is not
   * published. Undefined: off (the default, as on DynamoDB Local).
   */
  emulateTransactionConflicts(windowMs: number | undefined, clock: () => number = () => performance.now()): void {
    this.#engine.conflicts = windowMs !== undefined && windowMs > 0 ? { windowMs, clock, heldUntil: new Map(), answered: 0 } : undefined;
  }

  /** How many calls emulateTransactionConflicts has refused since it was turned on. */
  get transactionConflicts(): number {
    return this.#engine.conflicts?.answered ?? 0;
  }

  /** Called before each operation; return an error kind to make it fail as DynamoDB would, or undefined. */
  injectFaults(decide: FaultDecider | undefined): void {
    this.#decide = decide;
  }

  /** Runs one operation directly (plain JSON protocol input and output), for tests and benchmarks. */
  run(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    const fault = this.fault(operation, input);
    if (fault?.kind === 'unprocessed') return this.#engine.run(operation, input, { processOnly: fault.at });
    if (fault?.kind === 'lost-answer') {
      this.#engine.run(operation, input);
      throw new DynamoError('InternalServerError', 'Internal server error', {}, 500);
    }
    return this.#engine.run(operation, input);
  }

  /** How many transaction client request tokens the engine remembers (those of the last ten minutes). */
  rememberedTokens(): number {
    return this.#engine.rememberedTokens;
  }

  private answer(request: WireRequest): HttpResponse {
    const requestId = `mem-${++this.#requests}`;
    try {
      const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1] ?? '';
      const operation = target.split('.')[1] ?? '';
      const body = request.body === undefined ? '{}' : typeof request.body === 'string' ? request.body : utf8.decode(request.body as Uint8Array);
      const output = this.run(operation, JSON.parse(body || '{}'));
      return reply(200, output, requestId);
    } catch (error) {
      return errorReply(error, requestId);
    }
  }

  /** Throws the fault decided for this call, or returns the one run() plays out (unprocessed, lost-answer). */
  private fault(operation: string, input: Record<string, unknown>): { kind: 'unprocessed' | 'lost-answer'; at: number } | undefined {
    if (!this.#decide || !DATA_OPERATIONS.has(operation)) return undefined;
    const transact = input.TransactItems as Record<string, { TableName?: string }>[] | undefined;
    const batch = input.RequestItems as Record<string, unknown[] | { Keys?: unknown[] }> | undefined;
    const table = transact ? (Object.values(transact[0] ?? {})[0]?.TableName ?? '') : batch ? (Object.keys(batch)[0] ?? '') : String(input.TableName ?? '');
    const itemCount = transact
      ? transact.length
      : batch
        ? Object.values(batch).reduce<number>((sum, r) => sum + (Array.isArray(r) ? r.length : (r.Keys?.length ?? 0)), 0)
        : 1;
    const answer = this.#decide({ operation, table, itemCount });
    if (answer === undefined) return undefined;
    const { kind: asked, itemIndex } = typeof answer === 'string' ? { kind: answer, itemIndex: undefined } : answer;
    const count = Math.max(1, itemCount);
    const at = itemIndex === undefined ? undefined : ((Math.trunc(itemIndex) % count) + count) % count;
    if (asked === 'lost-answer') return { kind: asked, at: 0 };
    if (asked === 'unprocessed' && BATCHES.has(operation)) return { kind: asked, at: at ?? Math.floor(itemCount / 2) };
    const kind = asked === 'unprocessed' ? 'throttle' : asked;
    // A plain read never conflicts: it answers the last committed state while a transaction holds the item.
    if (kind === 'conflict' && PLAIN_READS.has(operation)) return undefined;
    if (operation.startsWith('Transact')) {
      const reasons = Array.from({ length: count }, (_, i) =>
        i !== (at ?? 0)
          ? { Code: 'None' }
          : kind === 'throttle'
            ? { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity of your table or index.' }
            : { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
      );
      throw cancelled(reasons);
    }
    if (kind === 'conflict') throw new DynamoError('TransactionConflictException', 'Transaction is ongoing for the item');
    throw new DynamoError(
      'ProvisionedThroughputExceededException',
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    );
  }
}

/** A number as the adapters read it; an integer past 2^53 (a fuzzer's 1e30), which unmarshall refuses, as its text. */
function plainNumber(text: string): number | string {
  const value = Number(text);
  return Number.isInteger(value) && !Number.isSafeInteger(value) ? text : value;
}

/** The DocumentClient marks its calls (lib-dynamodb's DocumentMarshall sets this feature for the user agent). */
function usesDocumentClient(context: HandlerExecutionContext): boolean {
  const sdk = (context as { __aws_sdk_context?: { features?: Record<string, unknown> } }).__aws_sdk_context;
  return sdk?.features?.DDB_MAPPER !== undefined;
}

/** An error as DynamoDB answers it; anything but the engine's own errors is a 500. */
function errorReply(error: unknown, requestId: string): HttpResponse {
  if (error instanceof DynamoError)
    return reply(error.statusCode, { __type: `com.amazonaws.dynamodb.v20120810#${error.type}`, message: error.message, ...error.fields }, requestId);
  return reply(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: (error as Error).message }, requestId);
}

function reply(statusCode: number, body: unknown, requestId: string): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
    body: Buffer.from(JSON.stringify(body)),
  });
}
