// Reads a test table's DynamoDB stream in DynamoDB Local from its start, handing back only what is new on each call:
// the records a stream event source mapping would deliver, to call stream handlers with as Lambda would.
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ensureTable } from '../../local/dynamodb-local.js';

export async function tableStream(endpoint: string, tableName: string) {
  const { streamArn } = await ensureTable(endpoint, tableName);
  const client = new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const iterators = new Map<string, string | undefined>();
  return {
    /** Every record written since the last call (from the stream's start on the first). */
    async next(): Promise<DynamoDBStreamEvent['Records']> {
      const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of StreamDescription?.Shards ?? []) {
        if (iterators.has(shard.ShardId!)) continue;
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        iterators.set(shard.ShardId!, ShardIterator);
      }
      const records: DynamoDBStreamEvent['Records'] = [];
      for (const [shardId, iterator] of iterators) {
        let current = iterator;
        while (current) {
          const out = await client.send(new GetRecordsCommand({ ShardIterator: current, Limit: 1000 }));
          records.push(...((out.Records ?? []) as DynamoDBStreamEvent['Records']));
          iterators.set(shardId, out.NextShardIterator);
          if (!out.Records?.length) break;
          current = out.NextShardIterator;
        }
      }
      return records;
    },
    close: () => client.destroy(),
  };
}
