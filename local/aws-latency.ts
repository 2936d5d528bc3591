// Emulated AWS round trips (CODEX_AWS_LATENCY_MS): on loopback a DynamoDB call takes a fraction of a millisecond,
// on AWS a few; contention between containers only shows at AWS's pace. Wraps the DynamoDB client's request handler.
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface AwsLatency {
  readMs: number;
  writeMs: number;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Parses CODEX_AWS_LATENCY_MS ("4,15"); undefined when unset; throws a clear Error on a bad value. */
export function parseAwsLatency(text: string | undefined): AwsLatency | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const parts = text.split(',').map((part) => part.trim());
  const [read, write] = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  if (parts.length !== 2 || !Number.isSafeInteger(read) || !Number.isSafeInteger(write))
    throw new Error(`CODEX_AWS_LATENCY_MS must be "<read ms>,<write ms>" in whole milliseconds, e.g. "4,15"; got "${text}"`);
  return { readMs: read!, writeMs: write! };
}

interface WireRequest {
  headers: Record<string, string>;
}

/** The operation of a DynamoDB JSON-protocol request ("DynamoDB_20120810.GetItem" -> "GetItem"). */
function operationOf(request: WireRequest): string {
  const target = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1] ?? '';
  return target.slice(target.indexOf('.') + 1);
}

export function delayFor(operation: string, latency: AwsLatency): number {
  return READS.has(operation) ? latency.readMs : WRITES.has(operation) ? latency.writeMs : 0;
}

/** A smithy HttpHandler around `inner` that waits readMs/writeMs (by X-Amz-Target operation) before each call. */
export function withAwsLatency<T>(inner: T, latency: AwsLatency): T {
  const handler = inner as T & { handle: (request: WireRequest, ...rest: unknown[]) => Promise<unknown> };
  const handle = async (request: WireRequest, ...rest: unknown[]) => {
    const ms = delayFor(operationOf(request), latency);
    if (ms > 0) await new Promise((resolveWait) => setTimeout(resolveWait, ms));
    return handler.handle(request, ...rest);
  };
  // Everything else (config, metadata, destroy) stays the inner handler's own.
  return new Proxy(handler, {
    get: (target, property, receiver) => {
      if (property === 'handle') return handle;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The DynamoDB client's request handler for CODEX_AWS_LATENCY_MS: the in-process engine's (`inner`) or the SDK's own
 * HTTP one (DynamoDB Local), slowed down; undefined without latency (the client keeps its default).
 */
export function dynamoRequestHandler(latency: AwsLatency | undefined, inner?: unknown): unknown {
  if (!latency) return inner;
  return withAwsLatency(inner ?? new NodeHttpHandler(), latency);
}
