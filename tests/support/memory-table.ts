// Codex's table on the in-memory engine (local/dynamodb-memory), as the stack makes it (every index, the stream), and
// a document client on it that retries at once: for unit tests of adapters under the engine's injected faults.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { ensureTableWith } from '../../local/dynamodb-local.js';
import { MemoryDynamo } from '../../local/dynamodb-memory/index.js';

export const MEMORY_TABLE = 'codex';

/** How the client reaches the engine: over the SDK's wire (its serializers), or by the shortcut the local stack uses. */
export type MemoryPath = 'wire' | 'shortcut';

export async function memoryTable(path: MemoryPath = 'wire'): Promise<{ store: MemoryDynamo; db: DynamoDBDocumentClient }> {
  const store = new MemoryDynamo();
  const raw = new DynamoDBClient({
    region: 'us-east-1',
    requestHandler: store.requestHandler as never,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await ensureTableWith(raw, MEMORY_TABLE);
  raw.destroy();
  const shortcut = path === 'shortcut' ? { shortcut: (client: DynamoDBClient) => store.shortcut(client) } : {};
  return { store, db: createDocumentClient({ region: 'us-east-1', requestHandler: store.requestHandler, maxAttempts: 3, retryDelayMs: 0, ...shortcut }) };
}
