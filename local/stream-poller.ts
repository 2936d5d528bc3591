// The local event source mapping: reads the table's DynamoDB stream in DynamoDB Local and hands batches, in the
// Lambda event shape, to the same stream handler AWS invokes.
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';

export function startStreamPoller(options: {
  endpoint: string;
  streamArn: string;
  onBatch: (event: DynamoDBStreamEvent) => Promise<unknown>;
  intervalMs?: number;
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

  const refreshShards = async () => {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      if (iterators.has(id) || finished.has(id)) continue;
      // Shards open when we start begin at LATEST (the sweeper covers older orders); later shards from the start.
      const type = firstListing && !shard.SequenceNumberRange?.EndingSequenceNumber ? 'LATEST' : 'TRIM_HORIZON';
      if (firstListing && shard.SequenceNumberRange?.EndingSequenceNumber) {
        finished.add(id);
        continue;
      }
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamArn: options.streamArn, ShardId: id, ShardIteratorType: type }));
      if (ShardIterator) iterators.set(id, ShardIterator);
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
            await options.onBatch({ Records: out.Records as DynamoDBStreamEvent['Records'] });
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
