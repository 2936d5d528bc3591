// The DynamoDB engines the conformance cases run on: DynamoDB Local (the reference) and the in-memory engine the
// simulation uses, reached over the SDK's wire and by its shortcut past the wire (what the local stack uses). Each gives a fresh table of the application's design, a document client, a low-level client
// and the table's stream records written since the last call.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { ensureTableWith } from '../../local/dynamodb-local.js';
import { MemoryDynamo } from '../../local/dynamodb-memory/index.js';
import { tableStream } from './table-stream.js';

export interface EngineTable {
  tableName: string;
  db: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  /** Records written to the table's stream since the last call, oldest first. */
  streamRecords(): Promise<DynamoDBRecord[]>;
  memory?: MemoryDynamo;
  close(): void;
}

export const ENGINES: { name: string; open(): Promise<EngineTable> }[] = [
  {
    name: 'DynamoDB Local',
    async open() {
      const endpoint = inject('dynamoEndpoint');
      const tableName = `test-${randomUUID()}`;
      const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const stream = await tableStream(endpoint, tableName);
      return {
        tableName,
        db: createDocumentClient({ region: 'us-east-1', endpoint }),
        raw,
        streamRecords: () => stream.next(),
        close: () => {
          stream.close();
          raw.destroy();
        },
      };
    },
  },
  memoryEngine('MemoryDynamo', false),
  memoryEngine('MemoryDynamo by the shortcut', true),
];

function memoryEngine(name: string, shortcut: boolean): { name: string; open(): Promise<EngineTable> } {
  return {
    name,
    async open() {
      const memory = new MemoryDynamo();
      const tableName = `test-${randomUUID()}`;
      const raw = new DynamoDBClient({
        region: 'us-east-1',
        requestHandler: memory.requestHandler as never,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await ensureTableWith(raw, tableName);
      if (shortcut) memory.shortcut(raw);
      return {
        tableName,
        db: createDocumentClient({
          region: 'us-east-1',
          requestHandler: memory.requestHandler,
          ...(shortcut ? { shortcut: (client: DynamoDBClient) => memory.shortcut(client) } : {}),
        }),
        raw,
        memory,
        streamRecords: async () => memory.takeStreamRecords(10_000),
        close: () => raw.destroy(),
      };
    },
  };
}
