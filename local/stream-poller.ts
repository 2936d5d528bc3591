// The local event source mapping: reads the table's DynamoDB stream in DynamoDB Local and hands batches, in the
// Lambda event shape, to the same stream handler AWS invokes.
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DynamoDBStreamEvent } from 'aws-lambda';

export function startStreamPoller(options: {
  endpoint: string;
  streamArn: string;
  onBatch: (event: DynamoDBStreamEvent) => Promise<unknown>;
  intervalMs?: number;
  /**
   * Where the last record handled in each shard is kept (persisted data only): a restart goes on after it, as an
   * event source mapping does, so records written just before a crash still reach their readers (at least once).
   */
  checkpointFile?: string;
}) {
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  let stopped = false;
  let firstListing = true;
  const checkpoints: Record<string, string> =
    options.checkpointFile && existsSync(options.checkpointFile) ? JSON.parse(readFileSync(options.checkpointFile, 'utf8')) : {};
  /** `<sequence number>`: go on after it; `at:<sequence number>`: the shard's first record read, not yet handled. */
  const checkpoint = (shardId: string, sequenceNumber: string) => {
    checkpoints[shardId] = sequenceNumber;
    if (!options.checkpointFile) return;
    writeFileSync(`${options.checkpointFile}.tmp`, JSON.stringify(checkpoints));
    renameSync(`${options.checkpointFile}.tmp`, options.checkpointFile);
  };

  const iteratorOf = async (
    shardId: string,
    start: { ShardIteratorType: 'LATEST' | 'TRIM_HORIZON' } | { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; SequenceNumber: string },
  ) => (await client.send(new GetShardIteratorCommand({ StreamArn: options.streamArn, ShardId: shardId, ...start }))).ShardIterator;

  const refreshShards = async () => {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    const shards = StreamDescription?.Shards ?? [];
    // Checkpoints of shards the stream no longer has are of no use.
    for (const id of Object.keys(checkpoints)) if (!shards.some((shard) => shard.ShardId === id)) delete checkpoints[id];
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (iterators.has(id) || finished.has(id)) continue;
      const after = checkpoints[id];
      // A checkpoint past the stream's retention (data kept for days) is dropped: the shard is read as without one.
      const resumeFrom = after?.startsWith('at:')
        ? ({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: after.slice('at:'.length) } as const)
        : after
          ? ({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } as const)
          : undefined;
      const resumed = resumeFrom ? await iteratorOf(id, resumeFrom).catch(() => undefined) : undefined;
      if (resumed) {
        iterators.set(id, resumed);
        continue;
      }
      // Without a checkpoint, shards open when we start begin at LATEST (the sweeper covers older orders); later
      // shards from the start.
      if (firstListing && shard.SequenceNumberRange?.EndingSequenceNumber) {
        finished.add(id);
        continue;
      }
      const iterator = await iteratorOf(id, { ShardIteratorType: firstListing ? 'LATEST' : 'TRIM_HORIZON' });
      if (iterator) iterators.set(id, iterator);
    }
    firstListing = false;
  };

  const loop = async () => {
    let sinceRefresh = 0;
    await refreshShards();
    while (!stopped) {
      if (++sinceRefresh >= 25) {
        sinceRefresh = 0;
        await refreshShards().catch(() => undefined);
      }
      for (const [shardId, iterator] of iterators) {
        if (stopped) return;
        try {
          const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
          if (out.Records && out.Records.length > 0) {
            // The shard's starting point, kept before the first batch is handed over: a failed batch is read again
            // from there, not from the shard's oldest record (records from before this reader started).
            if (checkpoints[shardId] === undefined) checkpoint(shardId, `at:${out.Records[0]!.dynamodb!.SequenceNumber!}`);
            await options.onBatch({ Records: out.Records as DynamoDBStreamEvent['Records'] });
            checkpoint(shardId, out.Records.at(-1)!.dynamodb!.SequenceNumber!);
          }
          if (out.NextShardIterator) iterators.set(shardId, out.NextShardIterator);
          else {
            iterators.delete(shardId);
            finished.add(shardId);
          }
        } catch (error) {
          if (!stopped) console.error('local stream poller:', (error as Error).message);
          iterators.delete(shardId);
        }
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
    }
  };
  const running = loop().catch((error) => console.error('local stream poller stopped:', error));
  return {
    stop: async () => {
      stopped = true;
      await running;
      client.destroy();
    },
  };
}
