// The in-memory stream reader's pump: it delivers what the readers' own writes add, but a reader that writes for
// every record it reads would keep it going for ever; it stops after a bounded number of batches and says why.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { ensureTableWith } from '../../../local/dynamodb-local.js';
import { MemoryDynamo } from '../../../local/dynamodb-memory/index.js';
import { startMemoryStreamReader } from '../../../local/memory-streams.js';

const TableName = 'codex';

async function world() {
  const store = new MemoryDynamo();
  const raw = new DynamoDBClient({
    region: 'us-east-1',
    requestHandler: store.requestHandler as never,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await ensureTableWith(raw, TableName);
  const db = createDocumentClient({ region: 'us-east-1', requestHandler: store.requestHandler });
  return { store, db };
}

describe('the in-memory stream pump', () => {
  it("delivers the records the readers' own writes add, until none are left", async () => {
    const { store, db } = await world();
    const seen: string[] = [];
    const reader = startMemoryStreamReader({
      store,
      manual: true,
      onBatch: async (event) => {
        for (const record of event.Records) {
          const pk = String(record.dynamodb?.Keys?.pk?.S);
          seen.push(pk);
          if (pk === 'first') await db.send(new PutCommand({ TableName, Item: { pk: 'second', sk: 'A' } }));
        }
      },
    });
    await db.send(new PutCommand({ TableName, Item: { pk: 'first', sk: 'A' } }));
    expect(await reader.pump()).toBe(2);
    expect(seen).toEqual(['first', 'second']);
    await reader.stop();
  });

  it('gives up with a clear error when a reader writes for every record it reads', async () => {
    const { store, db } = await world();
    let written = 0;
    const reader = startMemoryStreamReader({
      store,
      manual: true,
      maxRounds: 50,
      onBatch: async (event) => {
        for (const _ of event.Records) await db.send(new PutCommand({ TableName, Item: { pk: `echo#${++written}`, sk: 'A' } }));
      },
    });
    await db.send(new PutCommand({ TableName, Item: { pk: 'start', sk: 'A' } }));
    await expect(reader.pump()).rejects.toThrow(/still records pending after 50 rounds .* does a reader write for every record it reads\?/);
    expect(written).toBe(50);
    // The next pump is not blocked by the failed one.
    await expect(reader.pump()).rejects.toThrow(/after 50 rounds/);
    await reader.stop();
  });
});
