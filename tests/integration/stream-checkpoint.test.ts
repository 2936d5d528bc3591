// The local stream reader on persisted data goes on after the last record it handled, as an event source mapping
// does: records written while no reader ran (the stack was killed) still reach the readers after a restart.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../local/dynamodb-local.js';
import { startStreamPoller } from '../../local/stream-poller.js';
import { createTestTable } from '../support/dynamo-table.js';
import { eventually } from '../support/eventually.js';

const dir = mkdtempSync(join(tmpdir(), 'codex-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local stream reader on persisted data', () => {
  it('hands over after a restart the records written while it was stopped, and none it had handled', async () => {
    const table = await createTestTable();
    const { streamArn } = await ensureTable(table.endpoint, table.tableName);
    const put = (id: string) => table.db.send(new PutCommand({ TableName: table.tableName, Item: { pk: `ITEM#${id}`, sk: 'ITEM', entity: 'probe' } }));
    const read = (seen: string[]) =>
      startStreamPoller({
        endpoint: table.endpoint,
        streamArn,
        checkpointFile: join(dir, 'checkpoint.json'),
        intervalMs: 20,
        onBatch: async (event: DynamoDBStreamEvent) => void seen.push(...event.Records.map((r) => String(r.dynamodb?.Keys?.pk?.S))),
      });

    const first: string[] = [];
    const before = read(first);
    // The first start reads from the stream's end: wait until it listens, then write.
    await new Promise((r) => setTimeout(r, 500));
    await put('a');
    await eventually(async () => (first.includes('ITEM#a') ? true : undefined), 10_000, 50);
    await before.stop();

    await put('b');
    await put('c');
    const second: string[] = [];
    const after = read(second);
    await eventually(async () => (second.includes('ITEM#c') ? true : undefined), 10_000, 50);
    await after.stop();
    expect(second).toEqual(['ITEM#b', 'ITEM#c']);

    // A checkpoint the stream no longer knows (past its retention) is dropped, not fatal: reading goes on from now.
    const file = join(dir, 'checkpoint.json');
    const stale = Object.fromEntries(Object.keys(JSON.parse(readFileSync(file, 'utf8'))).map((shard) => [shard, '1']));
    writeFileSync(file, JSON.stringify(stale));
    const third: string[] = [];
    const later = read(third);
    await new Promise((r) => setTimeout(r, 500));
    await put('d');
    await eventually(async () => (third.includes('ITEM#d') ? true : undefined), 10_000, 50);
    await later.stop();
    expect(third).toEqual(['ITEM#d']);
  });

  it.each([
    ['with a checkpoint file', true],
    ['in memory', false],
  ])('reads a failed first batch again from where it started, never the records from before it started (%s)', async (_label, persisted) => {
    const table = await createTestTable();
    const { streamArn } = await ensureTable(table.endpoint, table.tableName);
    const put = (id: string) => table.db.send(new PutCommand({ TableName: table.tableName, Item: { pk: `ITEM#${id}`, sk: 'ITEM', entity: 'probe' } }));
    await put('before-start');
    const handled: string[] = [];
    let failures = 0;
    const reader = startStreamPoller({
      endpoint: table.endpoint,
      streamArn,
      ...(persisted ? { checkpointFile: join(dir, `failing-${Date.now()}.json`) } : {}),
      intervalMs: 20,
      onBatch: async (event: DynamoDBStreamEvent) => {
        if (failures++ === 0) throw new Error('the reader failed this batch');
        handled.push(...event.Records.map((r) => String(r.dynamodb?.Keys?.pk?.S)));
      },
    });
    await new Promise((r) => setTimeout(r, 500));
    await put('first');
    await eventually(async () => (handled.includes('ITEM#first') ? true : undefined), 10_000, 50);
    await put('second');
    await eventually(async () => (handled.includes('ITEM#second') ? true : undefined), 10_000, 50);
    await reader.stop();
    expect(handled).toEqual(['ITEM#first', 'ITEM#second']);
  });
});
