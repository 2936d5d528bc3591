// The local event source mapping on the in-memory engine: takes the table's stream records from the engine and
// hands them, in order and in batches of at most 100, to the same readers the DynamoDB Local poller feeds. On a
// timer, or only when asked (the simulation pumps the stream at the moments it chooses).
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { MemoryDynamo } from './dynamodb-memory/index.js';

export function startMemoryStreamReader(options: {
  store: MemoryDynamo;
  onBatch: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** true: no timer; records move only on pump(). */
  manual: boolean;
  /** Work the readers started without awaiting it (a finance job): a pump waits for it before it ends. */
  settle?: () => Promise<void>;
  intervalMs?: number;
  /** Batches one pump delivers at most: a reader that writes for every record it reads would never let it end. */
  maxRounds?: number;
}) {
  // As the poller starts at the stream's LATEST: what was written before the readers start is not delivered.
  options.store.takeStreamRecords(Number.MAX_SAFE_INTEGER);
  const maxRounds = options.maxRounds ?? 1_000;
  let queue: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const drain = async (): Promise<number> => {
    let delivered = 0;
    for (let round = 0; ; round++) {
      if (round >= maxRounds)
        throw new Error(
          `local stream reader: still records pending after ${maxRounds} rounds (${delivered} records delivered); does a reader write for every record it reads?`,
        );
      const records = options.store.takeStreamRecords(100);
      if (records.length === 0) {
        await options.settle?.();
        if (options.store.pendingStreamRecords() === 0) return delivered;
        continue;
      }
      try {
        await options.onBatch({ Records: records });
      } catch (error) {
        // As the DynamoDB Local poller does: the failure is reported and the stream moves on.
        console.error('local stream reader:', (error as Error).message);
      }
      delivered += records.length;
    }
  };

  /** Delivers everything pending (and what the readers' own writes add) before it resolves; runs one at a time. */
  const pump = (): Promise<number> => {
    const run = queue.then(drain);
    queue = run.catch(() => undefined);
    return run;
  };
  const timer = options.manual
    ? undefined
    : setInterval(() => {
        if (!stopped) void pump().catch(() => undefined);
      }, options.intervalMs ?? 100);

  return {
    pump,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await queue;
    },
  };
}
