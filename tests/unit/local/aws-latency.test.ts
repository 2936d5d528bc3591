// CODEX_AWS_LATENCY_MS: every DynamoDB read waits readMs and every write writeMs before it reaches the table; other
// calls (table management) go straight through. Time is a fake clock, so nothing here depends on the machine's pace.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { parseAwsLatency, withAwsLatency } from '../../../local/aws-latency.js';
import { ensureTableWith } from '../../../local/dynamodb-local.js';
import { MemoryDynamo } from '../../../local/dynamodb-memory/index.js';

describe('CODEX_AWS_LATENCY_MS', () => {
  it('reads "<read>,<write>" milliseconds, and nothing when unset', () => {
    expect(parseAwsLatency(undefined)).toBeUndefined();
    expect(parseAwsLatency('')).toBeUndefined();
    expect(parseAwsLatency('4,15')).toEqual({ readMs: 4, writeMs: 15 });
    expect(parseAwsLatency(' 0 , 20 ')).toEqual({ readMs: 0, writeMs: 20 });
  });

  it.each(['4', '4,15,2', 'a,b', '-1,15', '1.5,15', '4;15', ',15'])('refuses "%s" with a message naming the variable and the format', (text) => {
    expect(() => parseAwsLatency(text)).toThrow(/CODEX_AWS_LATENCY_MS must be "<read ms>,<write ms>".*e\.g\. "4,15"/);
  });
});

describe('a request handler with emulated AWS round trips', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  const operations = {
    GetItem: 4,
    BatchGetItem: 4,
    Query: 4,
    Scan: 4,
    TransactGetItems: 4,
    PutItem: 15,
    UpdateItem: 15,
    DeleteItem: 15,
    BatchWriteItem: 15,
    TransactWriteItems: 15,
    DescribeTable: 0,
    CreateTable: 0,
  };

  it('holds each read for readMs and each write for writeMs before passing it on; other calls at once', async () => {
    const started = Date.now();
    const reached: Record<string, number> = {};
    const inner = {
      handle: async (request: { headers: Record<string, string> }) => {
        reached[request.headers['X-Amz-Target']!.split('.')[1]!] = Date.now() - started;
        return { response: { statusCode: 200 } };
      },
    };
    const slowed = withAwsLatency(inner, { readMs: 4, writeMs: 15 });
    const calls = Object.keys(operations).map((operation) => slowed.handle({ headers: { 'X-Amz-Target': `DynamoDB_20120810.${operation}` } }));
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all(calls);
    expect(reached).toEqual(operations);
  });

  it('keeps the inner handler everything but the wait (its configuration and destroy)', () => {
    const inner = {
      config: { requestTimeout: 5 },
      destroyed: false,
      handle: async () => ({ response: {} }),
      httpHandlerConfigs() {
        return this.config;
      },
      destroy() {
        this.destroyed = true;
      },
    };
    const slowed = withAwsLatency(inner, { readMs: 1, writeMs: 1 });
    expect(slowed.httpHandlerConfigs()).toEqual({ requestTimeout: 5 });
    slowed.destroy();
    expect(inner.destroyed).toBe(true);
  });

  it('slows a document client down: a put is not written before writeMs, a get not answered before readMs', async () => {
    const store = new MemoryDynamo();
    const raw = new DynamoDBClient({
      region: 'us-east-1',
      requestHandler: store.requestHandler as never,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    await ensureTableWith(raw, 'codex');
    const db = createDocumentClient({ region: 'us-east-1', requestHandler: withAwsLatency(store.requestHandler, { readMs: 4, writeMs: 15 }) });

    let written = false;
    const put = db.send(new PutCommand({ TableName: 'codex', Item: { pk: 'w#1', sk: 'A', balance: 7 } })).then(() => (written = true));
    await vi.advanceTimersByTimeAsync(14);
    expect(store.items('codex')).toEqual([]);
    expect(written).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await put;
    expect(store.items('codex')).toEqual([{ pk: 'w#1', sk: 'A', balance: 7 }]);

    let answer: unknown;
    const get = db.send(new GetCommand({ TableName: 'codex', Key: { pk: 'w#1', sk: 'A' } })).then((output) => (answer = output.Item));
    await vi.advanceTimersByTimeAsync(3);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await get;
    expect(answer).toEqual({ pk: 'w#1', sk: 'A', balance: 7 });
  });
});
