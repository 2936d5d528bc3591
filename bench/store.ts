// `BENCH_PHASES=store npm run bench`: operations a second of the in-memory DynamoDB engine, through the real document
// client (serialisation, signing, the SDK's middleware: what the simulation pays per call), beside DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { ensureTable, ensureTableWith, JavaMissing, startDynamoLocal } from '../local/dynamodb-local.js';
import { MemoryDynamo } from '../local/dynamodb-memory/index.js';
import { freePort } from '../local/stack.js';

const TableName = 'bench';

async function rates(db: DynamoDBDocumentClient, count: number): Promise<Record<string, number>> {
  const timed = async (run: (i: number) => Promise<unknown>) => {
    const started = performance.now();
    // Eight callers at once, as a handful of concurrent handlers would call.
    for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => run(i + j)));
    return Math.round(count / ((performance.now() - started) / 1000));
  };
  return {
    put: await timed((i) => db.send(new PutCommand({ TableName, Item: { pk: `W#${i % 50}`, sk: `E#${i}`, amount: 1000, at: '2026-12-01T00:00:00Z' } }))),
    get: await timed((i) => db.send(new GetCommand({ TableName, Key: { pk: `W#${i % 50}`, sk: `E#${i}` }, ConsistentRead: true }))),
    'conditional update': await timed((i) =>
      db.send(
        new UpdateCommand({
          TableName,
          Key: { pk: `W#${i % 50}`, sk: 'WALLET' },
          UpdateExpression: 'ADD balance :a SET seq = if_not_exists(seq, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(blocked)',
          ExpressionAttributeValues: { ':a': 1, ':zero': 0, ':one': 1 },
        }),
      ),
    ),
    'query (20 items)': await timed((i) =>
      db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          ExpressionAttributeValues: { ':pk': `W#${i % 50}`, ':e': 'E#' },
          Limit: 20,
        }),
      ),
    ),
    'transaction (2 items)': await timed((i) =>
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName, Key: { pk: `W#${i % 50}`, sk: 'WALLET' }, UpdateExpression: 'ADD balance :a', ExpressionAttributeValues: { ':a': -1 } } },
            { Put: { TableName, Item: { pk: `W#${i % 50}`, sk: `T#${i}`, amount: -1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
    ),
  };
}

export async function storePhase(print: (line: string) => void): Promise<void> {
  const memory = new MemoryDynamo();
  const raw = new DynamoDBClient({
    region: 'us-east-1',
    requestHandler: memory.requestHandler as never,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await ensureTableWith(raw, TableName);
  const onMemory = await rates(createDocumentClient({ region: 'us-east-1', requestHandler: memory.requestHandler }), 4000);
  let onLocal: Record<string, number> | undefined;
  try {
    const local = await startDynamoLocal({ port: await freePort() });
    try {
      await ensureTable(local.endpoint, TableName);
      onLocal = await rates(createDocumentClient({ region: 'us-east-1', endpoint: local.endpoint }), 800);
    } finally {
      await local.stop();
    }
  } catch (error) {
    if (!(error instanceof JavaMissing)) throw error;
  }
  // The engine alone, without the SDK: what it costs itself.
  const engine = new MemoryDynamo();
  engine.run('CreateTable', {
    TableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  });
  const direct = (operation: string, input: (i: number) => Record<string, unknown>, count = 20_000) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) engine.run(operation, input(i));
    return Math.round(count / ((performance.now() - started) / 1000));
  };
  const key = (i: number) => ({ pk: { S: `W#${i % 50}` }, sk: { S: `E#${i}` } });
  const alone = {
    put: direct('PutItem', (i) => ({ TableName, Item: { ...key(i), amount: { N: '1000' } } })),
    get: direct('GetItem', (i) => ({ TableName, Key: key(i) })),
    'query (20 items)': direct('Query', (i) => ({
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': { S: `W#${i % 50}` }, ':e': { S: 'E#' } },
      Limit: 20,
    })),
  };
  print('In-memory DynamoDB engine, operations a second through the document client (8 callers at once):');
  for (const [name, rate] of Object.entries(onMemory))
    print(
      `  ${name.padEnd(22)} ${String(rate).padStart(7)} /s${onLocal ? `   DynamoDB Local ${String(onLocal[name]).padStart(6)} /s (×${(rate / onLocal[name]!).toFixed(1)})` : ''}`,
    );
  print(
    `  the engine alone, without the SDK: ${Object.entries(alone)
      .map(([name, rate]) => `${name} ${rate} /s`)
      .join(', ')}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await storePhase(console.log);
