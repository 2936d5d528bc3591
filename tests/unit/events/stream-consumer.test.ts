import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { streamConsumer } from '../../../lambdas/events/stream-consumer.js';
import { usePlatform } from '../../../lambdas/shared/platform.js';
import { packedWrites } from '../../../lambdas/shared/packed-writes.js';

const record = (seq: string, image: Record<string, { S: string } | { N: string }> = {}): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: seq, NewImage: image },
});
const batch = (...seqs: string[]) => ({ Records: seqs.map((seq) => record(seq)) });
const seqOf = (r: DynamoDBRecord) => r.dynamodb!.SequenceNumber!;

describe('a stream consumer (Powertools Batch)', () => {
  it('reports a failed record alone and takes the others when records stand alone', async () => {
    const taken: string[] = [];
    const handler = streamConsumer(
      () => async (r) => {
        taken.push(seqOf(r));
        if (seqOf(r) === '2') throw new Error('refused');
      },
      { stopAtFailure: false },
    );
    expect(await handler(batch('1', '2', '3'))).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(taken).toEqual(['1', '2', '3']);
  });

  it('takes records in stream order and, for an in-order reader, takes none after a failure (they are reported)', async () => {
    const taken: string[] = [];
    const handler = streamConsumer(
      () => async (r) => {
        taken.push(seqOf(r));
        await new Promise((resolve) => setTimeout(resolve, seqOf(r) === '1' ? 20 : 0));
        if (seqOf(r) === '2') throw new Error('refused');
      },
      { stopAtFailure: true },
    );
    expect(await handler(batch('1', '2', '3', '4'))).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '3' }, { itemIdentifier: '4' }],
    });
    expect(taken).toEqual(['1', '2']);
  });

  it('answers no failure for a batch that went through', async () => {
    const handler = streamConsumer(() => async () => undefined, { stopAtFailure: true });
    expect(await handler(batch('1', '2'))).toEqual({ batchItemFailures: [] });
  });

  it('reports a batch that failed whole, or throws it where the mapping should bisect it', async () => {
    const failing = () => async () => {
      throw new Error('table unavailable');
    };
    expect(await streamConsumer(failing, { stopAtFailure: false })(batch('1', '2'))).toEqual({
      batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '2' }],
    });
    await expect(streamConsumer(failing, { stopAtFailure: true, throwOnFullBatchFailure: true })(batch('1', '2'))).rejects.toThrow(
      'All records failed processing',
    );
  });

  it('gives each batch its own state', async () => {
    const seen: number[] = [];
    const handler = streamConsumer(
      (records) => {
        seen.push(records.length);
        return async () => undefined;
      },
      { stopAtFailure: true },
    );
    await handler(batch('1', '2'));
    await handler(batch('3'));
    expect(seen).toEqual([2, 1]);
  });
});

describe('packed writes', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('sends the records in stream order in calls of at most the pack size, never splitting a record', async () => {
    const calls: number[][] = [];
    const sizes = [4, 4, 3, 0, 5, 1];
    const records = sizes.map((size, i) => ({ id: i, size }));
    const write = packedWrites(
      records,
      async (r) => items(r.size).map(() => r.id),
      async (pack) => {
        calls.push(pack);
      },
      10,
    );
    for (const r of records) await write(r);
    expect(calls).toEqual([
      [0, 0, 0, 0, 1, 1, 1, 1],
      [2, 2, 2, 4, 4, 4, 4, 4, 5],
    ]);
  });

  it('fails every record a refused call carried, and reads each record once', async () => {
    const reads: number[] = [];
    const records = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const write = packedWrites(
      records,
      async (r) => {
        reads.push(r.id);
        return [r.id];
      },
      async (pack) => {
        if (pack.includes(3)) throw new Error('refused');
      },
      2,
    );
    await expect(write(records[0]!)).resolves.toBeUndefined();
    await expect(write(records[1]!)).resolves.toBeUndefined();
    await expect(write(records[2]!)).rejects.toThrow('refused');
    expect(reads).toEqual([1, 2, 3]);
  });

  it('ends a pack before a record whose items cannot be read; that record fails on its own turn', async () => {
    const calls: number[][] = [];
    const records = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const write = packedWrites(
      records,
      async (r) => {
        if (r.id === 2) throw new Error('threshold unreadable');
        return [r.id];
      },
      async (pack) => {
        calls.push(pack);
      },
      10,
    );
    await write(records[0]!);
    await expect(write(records[1]!)).rejects.toThrow('threshold unreadable');
    expect(calls).toEqual([[1]]);
  });
});

describe('the startOrderWorkflow stream handler', () => {
  afterEach(() => usePlatform({}));

  it("starts each new order's workflow and reports only the orders whose start failed", async () => {
    const started: number[] = [];
    usePlatform({
      workflow: {
        ensureStarted: async (orderId) => {
          if (orderId === 2) throw new Error('ThrottlingException');
          started.push(orderId);
        },
        resume: async () => undefined,
      },
    });
    const { handler } = await import('../../../lambdas/orders/handlers/start-workflow-handler.js');
    const order = (seq: string, id: number) => record(seq, { entity: { S: 'order' }, id: { N: String(id) } });
    const answer = await handler({ Records: [order('10', 1), order('11', 2), record('12', { entity: { S: 'wallet' } }), order('13', 3)] });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '11' }] });
    expect(started).toEqual([1, 3]);
  });
});
