// The whole system on one machine: DynamoDB Local, the demo provider, the order workflow runner, the stream
// poller, the schedules and the HTTP gateway, all running the same handler code as AWS.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DynamoDBStreamEvent, SQSBatchResponse } from 'aws-lambda';
import { keys } from '../lambdas/adapters/dynamodb/keys.js';
import { type FunctionName, SCHEDULES, SUBSCRIPTIONS } from '../lambdas/functions.js';
import { gatewayNames } from '../lambdas/access/domain/tiers.js';
import { InMemorySecretStore } from './secret-store.js';
import { sweepOpenOrders } from '../lambdas/orders/application/sweep-orders.js';
import { type Platform, usePlatform } from '../lambdas/shared/platform.js';
import { type LocalServices, localServices } from './services.js';
import { type DemoProvider, startDemoProvider } from './demo-provider/server.js';
import { startDynamoLocal, ensureTable, ensureTableWith } from './dynamodb-local.js';
import { MemoryDynamo } from './dynamodb-memory/index.js';
import { startMemoryStreamReader } from './memory-streams.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CapacityMeter } from './capacity-meter.js';
import type { PollReport } from '../lambdas/orders/application/poll-providers.js';
import { LocalEventBus } from './event-bus.js';
import { LocalEventQueues } from './event-queues.js';
import { InMemoryGatewayKeys } from './gateway-keys.js';
import { lambdaContext, loadFunction } from './functions.js';
import { localInvokeStore } from './invoke-store.js';
import { useLogLevel } from './log-level.js';
import { type GatewayDispatch, gatewayDispatch, startGateway } from './gateway.js';
import { COGNITO_KEY_FILE, LOCAL_ADMIN_EMAIL, LOCAL_OPERATOR_EMAIL, type LocalCognito, localCognito } from './cognito.js';
import {
  DEMO_PROVIDER_CALLBACK_SECRET_ID,
  DEMO_PROVIDER_ID,
  DEMO_PROVIDER_SECRET_ID,
  DEMO_RESELLER,
  type Reseller,
  seedCatalog,
  seedCustomer,
  seedReseller,
} from './seed.js';
import { LocalOutbox } from './outbox.js';
import { OutboxOperatorAlerts, alertOnDeadLetter } from './operator-alerts.js';
import { accountStore } from '../lambdas/customers/wiring.js';
import { startStreamPoller } from './stream-poller.js';
import { LocalOrderWorkflow, type LocalWorkflowOptions } from './workflow-runner.js';
import { type AwsLatency, dynamoRequestHandler } from './aws-latency.js';
import { type ContainerMode, type Containers, startContainers } from './containers.js';
import { runFunctionsIn } from './functions.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalStackOptions {
  /** Gateway port; 0 picks a free one. */
  port?: number;
  /** Keeps DynamoDB Local's data and the demo provider's orders here; in memory when absent. */
  dataDir?: string;
  /** Demo provider pace multiplier (10 = ten times faster). */
  providerSpeed?: number;
  pollEveryMs?: number;
  sweepEveryMs?: number;
  /** Replaces the workflow's retry backoff, for fast tests. */
  retryDelayMs?: number;
  /** Replaces the workflow's Wait states, for fast tests. */
  waitDelayMs?: number;
  /** Requests a minute allowed to the demo reseller's key (the default tier's 120 when absent). */
  demoKeyRequestsPerMinute?: number;
  providerTimeoutMs?: number;
  flakyHangMs?: number;
  /** Where to write the demo credentials (apiBase, v1Url, v2Url, docsUrl, outboxUrl, reseller, customer). */
  demoFile?: string;
  /** The functions' log level: POWERTOOLS_LOG_LEVEL, else WARN. */
  logLevel?: string;
  /**
   * true: the functions' EMF metric lines on stdout, as a Lambda function prints them (`npm start`, tests that read
   * them); off by default, so that tests' and the benchmark's output is not buried under them.
   */
  printMetrics?: boolean;
  /** Counts DynamoDB capacity per function and keeps the poller's reports, for the benchmark. */
  measure?: boolean;
  /** How many workflow Lambda steps run at once (reserved concurrency of the step functions). */
  workflowConcurrency?: number;
  /** The demo provider also pushes its orders' status to `/api/v1/providers/demo/callback` (docs/providers.md). */
  providerPushes?: boolean;
  /**
   * The admin user pool stand-in's signing key (made on first start). By default beside `demoFile`, where
   * `npm run admin:token` finds it, else in `dataDir`, else in memory.
   */
  cognitoKeyFile?: string;
  /** Addresses and CIDR ranges that may call the admin API (CODEX_ADMIN_ALLOWED_SOURCES); any when absent. */
  adminAllowedSources?: readonly string[];
  // The simulation's options (tests/simulation): everything it drives by hand or replaces.
  /** false: no schedule timers; stack.runSchedule(name) runs one once. */
  schedules?: boolean;
  /** false: the consumers' queues are handed over only by stack.queues.deliverDue() (no polling timer). */
  queuePolling?: boolean;
  /** Every function's outbound HTTP (providers, payment gateway, webhooks): the platform's fetch. */
  fetch?: typeof fetch;
  /** The workflow runner's step wrapper and lost resumes (LocalWorkflowOptions). */
  wrapStep?: LocalWorkflowOptions['wrapStep'];
  dropResume?: LocalWorkflowOptions['dropResume'];
  /**
   * Where the table lives: DynamoDB Local on Java (the default), or 'memory', the in-memory engine
   * (local/dynamodb-memory, no Java, nothing kept on disk; CODEX_STORE=memory for `npm start`).
   */
  store?: 'dynamodb-local' | 'memory';
  /** With store 'memory': this engine (reset by the caller between worlds) instead of a new one. */
  memoryStore?: MemoryDynamo;
  /** With store 'memory': stream records reach their readers only through stack.pumpStreams() (no timer). */
  manualStreams?: boolean;
  /**
   * 'isolated' (CODEX_CONTAINERS): each invocation runs in a container of its function, a process of its own that
   * shares no memory with the others (local/containers.ts); 'shared' (the default): all in this process.
   */
  containers?: ContainerMode;
  /** Added to every DynamoDB read and write call, in this process and every container (CODEX_AWS_LATENCY_MS). */
  awsLatency?: AwsLatency;
}

/** Hours the demo admin and operator tokens of a start stay valid. */
export const DEMO_ADMIN_TOKEN_HOURS = 12;

export interface LocalStack {
  apiBase: string;
  v1Url: string;
  v2Url: string;
  /** GET it with ?to=<email>: the account emails sent, newest first. */
  outboxUrl: string;
  /** The interactive API documentation (REST API v1). */
  docsUrl: string;
  outbox: LocalOutbox;
  reseller: Reseller;
  /** A verified customer with an empty wallet. */
  customer: { id: string; email: string; password: string };
  /** The admin API, `<apiBase>/admin/v1`. */
  adminUrl: string;
  /** ID tokens of the local admin user pool's demo admin and operator, valid DEMO_ADMIN_TOKEN_HOURS. */
  admin: { email: string; idToken: string };
  operator: { email: string; idToken: string };
  /** Mints more tokens (other people, expired ones) that the gateway accepts as the admin user pool's. */
  cognito: LocalCognito;
  provider: DemoProvider;
  workflow: LocalOrderWorkflow;
  events: LocalEventBus;
  /** The consumers' queues and their dead letters. */
  queues: LocalEventQueues;
  deps: LocalServices;
  dynamoEndpoint: string;
  capacity?: CapacityMeter;
  pollReports: PollReport[];
  /** The platform stand-ins the stack installed: usePlatform(stack.platform) again forgets every cached client. */
  platform: Platform;
  /** The gateway's request handling without a socket (the same routing, authorizers and handlers). */
  dispatch: GatewayDispatch;
  /** Runs a schedule's function once, as its EventBridge rule would (SCHEDULES), and returns its result. */
  runSchedule(name: FunctionName): Promise<unknown>;
  /** With store 'memory': the engine holding the table. */
  memoryStore?: MemoryDynamo;
  /**
   * Delivers every pending stream record to the stream readers, in order, in batches of at most 100, until none is
   * left (records the readers' writes add included); the number delivered. Store 'memory' only.
   */
  pumpStreams(): Promise<number>;
  /** With containers 'isolated': the containers started so far (also at `GET /_local/containers`). */
  containers?: Containers;
  stop(): Promise<void>;
}

export const LOCAL_PEPPER = 'codex-local-api-key-pepper';
export const LOCAL_SHARED_GATEWAY_KEY = 'codex-local-shared-gateway-key';
export const LOCAL_TABLE_NAME = 'codex';

/** The config default of JWT_SIGNING_SECRET_ID. */
export const LOCAL_JWT_SECRET_ID = 'codex/jwt-signing-keys';
/** The demo provider's API key (its secret, locally): e2e tests register the demo panel again under other ids with it. */
export const DEMO_PROVIDER_KEY = 'demo-provider-key';
export const LOCAL_DEMO_GATEWAY_SECRET_ID = 'codex/payments/demo';
export const LOCAL_DEMO_GATEWAY_SECRET = 'codex-local-demo-gateway-secret';
/** Signs the demo provider's status callbacks (`POST /api/v1/providers/demo/callback`): fixed, local only. */
export const LOCAL_DEMO_PROVIDER_CALLBACK_SECRET = `whsec_${Buffer.from('codex local demo provider pushes').toString('base64')}`;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * A free port held until `release`: the gateway's port is known long before it listens (links are built from it), and
 * a port merely found free is taken meanwhile by another process often enough to fail a test run (EADDRINUSE in CI).
 */
async function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolvePort({ port, release: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    cleanups.length = 0;
  };
  // Before the first AWS SDK request, which would install a store of its own.
  localInvokeStore();
  // Isolated containers are stopped last: what the other parts still run while they stop may invoke a function.
  let containers: Containers | undefined;
  cleanups.push(async () => {
    runFunctionsIn(undefined);
    await containers?.stop();
  });
  try {
    const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
    const inMemory = options.store === 'memory';
    if (inMemory && dataDir) throw new Error("The 'memory' store keeps nothing on disk: a data folder needs DynamoDB Local (store 'dynamodb-local').");
    if (dataDir) mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });

    const tableName = LOCAL_TABLE_NAME;
    const memoryStore = inMemory ? (options.memoryStore ?? new MemoryDynamo()) : undefined;
    const dynamo = memoryStore ? undefined : await startDynamoLocal({ port: await freePort(), ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}) });
    if (dynamo) cleanups.push(() => dynamo.stop());
    const { streamArn } = memoryStore ? await ensureMemoryTable(memoryStore, tableName) : await ensureTable(dynamo!.endpoint, tableName);

    // Known before the gateway listens: links the functions write (checkout and callback URLs, the OpenAPI servers)
    // are built from PUBLIC_API_URL, and this stack answers over http without the stage prefix of an execute-api URL.
    const reserved = options.port === 0 ? await reservePort() : undefined;
    if (reserved) cleanups.push(() => reserved.release());
    const gatewayPort = options.port === undefined ? 3000 : (reserved?.port ?? options.port);
    Object.assign(process.env, {
      PUBLIC_API_URL: `http://127.0.0.1:${gatewayPort}`,
      TABLE_NAME: tableName,
      ...(dynamo ? { DYNAMODB_ENDPOINT: dynamo.endpoint } : {}),
      AWS_REGION: 'us-east-1',
      ORDER_ID_BLOCK_SIZE: '100',
      PROGRESS_MIN_INTERVAL_SECONDS: '0',
      SWEEP_MIN_AGE_SECONDS: '20',
      // Ambiguous provider answers (sim-ambiguous): the local poller runs every 3 s, so the next poll confirms one.
      AMBIGUOUS_CONFIRM_SECONDS: '2',
      POWERTOOLS_DEV: 'false',
      // As Lambda sets it for on-demand functions: Powertools publishes a ColdStart metric only then.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      POWERTOOLS_METRICS_DISABLED: options.printMetrics ? 'false' : 'true',
      // The demo gateway always; Cryptomus when its merchant and payment key are in the environment.
      PAYMENT_METHODS:
        process.env.PAYMENT_METHODS ?? (process.env.CODEX_CRYPTOMUS_MERCHANT && process.env.CODEX_CRYPTOMUS_PAYMENT_KEY ? 'demo,cryptomus' : 'demo'),
      DEMO_GATEWAY_SECRET_ID: LOCAL_DEMO_GATEWAY_SECRET_ID,
      // Reseller webhooks may point at receivers on this machine (never on AWS).
      WEBHOOK_ALLOW_LOOPBACK: 'true',
    });
    // The in-memory engine answers through the platform's request handler, at no address.
    if (!dynamo) delete process.env.DYNAMODB_ENDPOINT;
    useLogLevel(options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN');

    const provider = await startDemoProvider({
      apiKey: DEMO_PROVIDER_KEY,
      ...(dataDir ? { stateFile: join(dataDir, 'demo-provider.json') } : {}),
      speed: options.providerSpeed ?? 1,
      flakyHangMs: options.flakyHangMs ?? 6_000,
      ...(options.providerPushes
        ? { push: { url: `http://127.0.0.1:${gatewayPort}/api/v1/providers/${DEMO_PROVIDER_ID}/callback`, secret: LOCAL_DEMO_PROVIDER_CALLBACK_SECRET } }
        : {}),
    });
    cleanups.push(() => provider.close());

    const workflow = new LocalOrderWorkflow({
      root: REPO_ROOT,
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      ...(options.waitDelayMs !== undefined ? { waitDelayMs: options.waitDelayMs } : {}),
      ...(options.workflowConcurrency !== undefined ? { concurrency: options.workflowConcurrency } : {}),
      ...(options.wrapStep ? { wrapStep: options.wrapStep } : {}),
      ...(options.dropResume ? { dropResume: options.dropResume } : {}),
    });
    cleanups.push(() => workflow.stop());
    const events = new LocalEventBus(dataDir ? join(dataDir, 'events.jsonl') : undefined);
    const outbox = new LocalOutbox(dataDir ? join(dataDir, 'outbox') : undefined);
    const alerts = new OutboxOperatorAlerts(outbox);
    // The bus's rules and the consumers' queues, from the same SUBSCRIPTIONS list CDK builds them from.
    const queues = new LocalEventQueues({
      subscriptions: SUBSCRIPTIONS,
      consumer: async (name) => {
        const fn = await loadFunction(name as FunctionName, REPO_ROOT);
        return (event) => fn(event, lambdaContext(name, randomUUID())) as Promise<SQSBatchResponse | undefined>;
      },
      // On AWS a CloudWatch alarm per dead-letter queue tells the operators' topic (lib/operator-alerts.ts).
      onDeadLetter: alertOnDeadLetter(alerts),
      ...(options.queuePolling === false ? { autoPump: false } : {}),
    });
    cleanups.push(() => queues.stop());
    events.subscribe((event) => queues.route(event));
    // Read by every function; written by the admin API's provider routes (provider keys).
    const localSecrets = new InMemorySecretStore({
      'codex/api-key-pepper': LOCAL_PEPPER,
      [DEMO_PROVIDER_SECRET_ID]: DEMO_PROVIDER_KEY,
      [DEMO_PROVIDER_CALLBACK_SECRET_ID]: LOCAL_DEMO_PROVIDER_CALLBACK_SECRET,
      [LOCAL_DEMO_GATEWAY_SECRET_ID]: LOCAL_DEMO_GATEWAY_SECRET,
      // The authorizer's answer for requests without a gateway key of their own.
      [gatewayNames('local').sharedKeySecret]: LOCAL_SHARED_GATEWAY_KEY,
      [LOCAL_JWT_SECRET_ID]: localSigningSecret(dataDir),
      // Seals reseller webhook secrets at rest (a fixed local value: the local table outlives a restart).
      'codex/webhook-secret-key': 'local webhook secret sealing key, not for AWS',
    });
    const platform: Platform = {
      email: outbox,
      secrets: localSecrets,
      secretWriter: localSecrets,
      gatewayKeys: new InMemoryGatewayKeys(),
      workflow,
      events,
      queues,
      alerts,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      // The SDK's own retries of a throttled call do not sleep on the in-memory engine.
      ...(memoryStore
        ? { dynamoDb: { requestHandler: memoryStore.requestHandler, retryDelayMs: 0, shortcut: (client: DynamoDBClient) => memoryStore.shortcut(client) } }
        : {}),
    };
    // CODEX_AWS_LATENCY_MS: this process's DynamoDB client as slow as the containers' (local/aws-latency.ts).
    // With round trips emulated, every call takes the wire (the shortcut would skip the wait).
    if (options.awsLatency) {
      const { shortcut: _skipped, ...wire } = platform.dynamoDb ?? {};
      platform.dynamoDb = { ...wire, requestHandler: dynamoRequestHandler(options.awsLatency, memoryStore?.requestHandler) };
    }
    usePlatform(platform);
    containers =
      options.containers === 'isolated'
        ? startContainers({
            root: REPO_ROOT,
            platform,
            ...(memoryStore ? { memoryDynamo: memoryStore.requestHandler } : {}),
            ...(options.awsLatency ? { awsLatency: options.awsLatency } : {}),
          })
        : undefined;
    if (containers) runFunctionsIn(containers.invoker);
    const deps = localServices();
    const capacity = options.measure ? new CapacityMeter() : undefined;
    capacity?.attach(deps.db);
    const pollReports: PollReport[] = [];

    await seedCatalog(deps, { apiUrl: provider.url, timeoutMs: options.providerTimeoutMs ?? 5_000 });
    const keyFile = dataDir ? join(dataDir, 'demo-reseller-key.txt') : undefined;
    const savedKey = keyFile && existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined;
    const reseller = await seedReseller(
      deps,
      DEMO_RESELLER,
      savedKey,
      options.demoKeyRequestsPerMinute ? { requestsPerMinute: options.demoKeyRequestsPerMinute } : undefined,
    );
    if (keyFile) writeFileSync(keyFile, reseller.apiKey, { mode: 0o600 });
    const customer = await seedCustomer(accountStore(), deps.config.CURRENCY, deps.clock.now());

    // The table stream's readers, as on AWS: the workflow's start, the events' publication, the finance totals and
    // reconciliation jobs, resellers' usage keys (each handler reads only the records its mapping's filter would pass).
    const startWorkflow = await loadFunction('startOrderWorkflow', REPO_ROOT);
    const publishEvents = await loadFunction('publishEvents', REPO_ROOT);
    const recordFinanceTotals = await loadFunction('recordFinanceTotals', REPO_ROOT);
    const reconcileFinances = await loadFunction('reconcileFinances', REPO_ROOT);
    const assignUsageKeys = await loadFunction('assignUsageKeys', REPO_ROOT);
    const settleLeases = await loadFunction('settleIdleLeases', REPO_ROOT);
    const backgroundJobs = new Set<Promise<unknown>>();
    const streamReaders = (event: DynamoDBStreamEvent) => {
      // The finance readers get only what their mappings' filters pass (lib/finance.ts), as on AWS, so the bench's
      // invocation counts stay AWS's. A job runs on its own mapping there: it must not hold up the next batch here.
      const jobs = event.Records.filter(isReconciliationJob);
      if (jobs.length > 0) {
        const job = Promise.resolve(reconcileFinances({ Records: jobs }, lambdaContext('reconcileFinances', 'stream'))).catch((error) =>
          console.error('local reconcileFinances failed:', (error as Error).message),
        );
        // Kept so that a pump of the in-memory stream ends only once the job is done.
        backgroundJobs.add(job);
        void job.finally(() => backgroundJobs.delete(job));
      }
      const financeRecords = event.Records.filter(countsInFinanceTotals);
      const resellerProfiles = event.Records.filter(isResellerProfile);
      const closedLeases = event.Records.filter(isClosedLeaseListing);
      return Promise.all([
        asStreamMapping('startOrderWorkflow', startWorkflow, event.Records),
        asStreamMapping('publishEvents', publishEvents, event.Records),
        ...(financeRecords.length > 0 ? [asStreamMapping('recordFinanceTotals', recordFinanceTotals, financeRecords)] : []),
        ...(resellerProfiles.length > 0 ? [asStreamMapping('assignUsageKeys', assignUsageKeys, resellerProfiles)] : []),
        ...(closedLeases.length > 0 ? [asStreamMapping('settleIdleLeases', settleLeases, closedLeases)] : []),
      ]);
    };
    const memoryReader = memoryStore
      ? startMemoryStreamReader({
          store: memoryStore,
          onBatch: streamReaders,
          manual: options.manualStreams === true,
          settle: async () => void (await Promise.all(backgroundJobs)),
        })
      : undefined;
    const streams =
      memoryReader ??
      startStreamPoller({
        endpoint: dynamo!.endpoint,
        streamArn,
        onBatch: streamReaders,
        // Persisted data: a restart (after a crash too) reads on from the last record handled.
        ...(dataDir ? { checkpointFile: join(dataDir, 'stream-checkpoint.json') } : {}),
      });
    cleanups.push(() => streams.stop());

    // No workflow survives a stop, so every open order's workflow starts again; each step is idempotent.
    await sweepOpenOrders(deps, { everything: true });

    const intervals = { pollProviders: options.pollEveryMs, sweepOrders: options.sweepEveryMs };
    const runSchedule = async (name: FunctionName): Promise<unknown> => {
      const fn = await loadFunction(name, REPO_ROOT);
      const result = await fn({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext(name, 'schedule'));
      if (options.measure && name === 'pollProviders') pollReports.push(...(result as PollReport[]));
      return result;
    };
    for (const schedule of options.schedules === false ? [] : SCHEDULES) {
      let running = false;
      const timer = setInterval(
        async () => {
          if (running) return;
          running = true;
          try {
            await runSchedule(schedule.function);
          } catch (error) {
            console.error(`local schedule ${schedule.function} failed:`, (error as Error).message);
          } finally {
            running = false;
          }
        },
        intervals[schedule.function as keyof typeof intervals] ?? schedule.localEveryMs,
      );
      cleanups.push(() => clearInterval(timer));
    }

    const cognito = await localCognito(
      options.cognitoKeyFile ?? (options.demoFile ? join(dirname(options.demoFile), COGNITO_KEY_FILE) : dataDir ? join(dataDir, COGNITO_KEY_FILE) : undefined),
    );
    const demoTokenSeconds = DEMO_ADMIN_TOKEN_HOURS * 3600;
    const admin = {
      email: LOCAL_ADMIN_EMAIL,
      idToken: await cognito.mintIdToken({ role: 'admin', email: LOCAL_ADMIN_EMAIL, expiresInSeconds: demoTokenSeconds }),
    };
    const operator = {
      email: LOCAL_OPERATOR_EMAIL,
      idToken: await cognito.mintIdToken({ role: 'operator', email: LOCAL_OPERATOR_EMAIL, expiresInSeconds: demoTokenSeconds }),
    };

    const gatewayOptions = {
      root: REPO_ROOT,
      cognito,
      ...(options.adminAllowedSources ? { adminAllowedSources: options.adminAllowedSources } : {}),
      localRoutes: {
        'GET /_local/outbox': (query: URLSearchParams) => ({ status: 200, body: outbox.list(query.get('to') ?? undefined) }),
        // Which containers ran the invocations (CODEX_CONTAINERS=isolated): their pids, for tests and the curious.
        'GET /_local/containers': () => ({
          status: 200,
          body: { mode: options.containers ?? 'shared', stackPid: process.pid, containers: containers?.report() ?? [] },
        }),
      },
    };
    await reserved?.release();
    const gateway = await startGateway({ port: gatewayPort, ...gatewayOptions });
    cleanups.push(() => gateway.close());

    const stack: LocalStack = {
      apiBase: gateway.url,
      v1Url: `${gateway.url}/api/v1`,
      v2Url: `${gateway.url}/api/v2`,
      outboxUrl: `${gateway.url}/_local/outbox`,
      docsUrl: `${gateway.url}/api/v1/docs`,
      outbox,
      reseller,
      customer,
      adminUrl: `${gateway.url}/admin/v1`,
      admin,
      operator,
      cognito,
      provider,
      workflow,
      events,
      queues,
      deps,
      dynamoEndpoint: dynamo?.endpoint ?? '',
      ...(capacity ? { capacity } : {}),
      pollReports,
      platform,
      dispatch: gatewayDispatch(gatewayOptions),
      runSchedule,
      ...(memoryStore ? { memoryStore } : {}),
      ...(containers ? { containers } : {}),
      pumpStreams: async () => {
        if (!memoryReader) throw new Error("pumpStreams needs the 'memory' store");
        return memoryReader.pump();
      },
      stop,
    };
    if (options.demoFile) {
      mkdirSync(dirname(options.demoFile), { recursive: true });
      writeFileSync(
        options.demoFile,
        `${JSON.stringify(
          {
            apiBase: stack.apiBase,
            v1Url: stack.v1Url,
            v2Url: stack.v2Url,
            outboxUrl: stack.outboxUrl,
            docsUrl: stack.docsUrl,
            health: `${stack.apiBase}/health`,
            providerUrl: provider.url,
            dynamoEndpoint: dynamo?.endpoint ?? 'in memory',
            reseller: { email: reseller.email, apiKey: reseller.apiKey },
            customer: { email: customer.email, password: customer.password },
            adminUrl: stack.adminUrl,
            admin,
            operator,
            containers: options.containers ?? 'shared',
            ...(options.awsLatency ? { awsLatencyMs: { read: options.awsLatency.readMs, write: options.awsLatency.writeMs } } : {}),
          },
          null,
          2,
        )}\n`,
        { mode: 0o600 },
      );
    }
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The table in the in-memory engine, created as ensureTable creates it in DynamoDB Local. */
export async function ensureMemoryTable(store: MemoryDynamo, tableName: string): Promise<{ streamArn: string }> {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    requestHandler: store.requestHandler as never,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await ensureTableWith(client, tableName);
  } finally {
    client.destroy();
  }
}

/**
 * The access tokens' signing secret: one random seed, made on the first start and kept in the data folder (so
 * sessions survive a restart), or in memory without one. The same shape as on AWS (see signing-keys.ts).
 */
function localSigningSecret(dataDir: string | undefined): string {
  const file = dataDir ? join(dataDir, 'jwt-signing-keys.json') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8');
  const secret = JSON.stringify({ current: 'local-1', 'local-1': randomBytes(32).toString('base64url') });
  if (file) writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

type StreamRecord = DynamoDBStreamEvent['Records'][number];

/** The stream mappings' retryAttempts (lib/events.ts, lib/finance.ts). */
const STREAM_RETRY_ATTEMPTS = 10;

/**
 * As an event source mapping with reportBatchItemFailures runs a stream reader: a batch that fails (thrown, or
 * batchItemFailures) is read again from the first failed record, up to the mapping's retry attempts; then the
 * mapping's on-failure destination would take it (here, a log line). Without this, records a reader failed on under
 * a passing fault would be lost locally, where AWS delivers them again.
 */
async function asStreamMapping(name: FunctionName, reader: (event: unknown, context?: unknown) => Promise<unknown>, records: StreamRecord[]): Promise<void> {
  let batch = records;
  for (let attempt = 0; batch.length > 0; attempt++) {
    let failedFrom: number;
    try {
      const result = (await reader({ Records: batch }, lambdaContext(name, 'stream'))) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      failedFrom = batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
      if (failed.size > 0 && failedFrom < 0) failedFrom = 0;
    } catch {
      failedFrom = 0;
    }
    if (failedFrom < 0) return;
    if (attempt >= STREAM_RETRY_ATTEMPTS) {
      console.error(
        `local ${name}: ${batch.length - failedFrom} stream record(s) failed ${attempt + 1} times; on AWS they go to the mapping's on-failure queue`,
      );
      return;
    }
    batch = batch.slice(failedFrom);
  }
}

/** FINANCE_TOTALS_FILTERS (lib/finance.ts): a new ledger entry, or an order becoming finalized. */
function countsInFinanceTotals(record: StreamRecord): boolean {
  const next = record.dynamodb?.NewImage;
  if (record.eventName === 'INSERT') return next?.entity?.S === 'ledger';
  return record.eventName === 'MODIFY' && next?.entity?.S === 'order' && next.phase?.S === 'finalized' && record.dynamodb?.OldImage?.phase?.S !== 'finalized';
}

/** The usage keys mapping's filter (lib/usage-keys.ts): a reseller profile inserted or modified. */
function isResellerProfile(record: StreamRecord): boolean {
  const next = record.dynamodb?.NewImage;
  return (record.eventName === 'INSERT' || record.eventName === 'MODIFY') && next?.entity?.S === 'user' && next.role?.S === 'reseller';
}

/** CLOSED_LEASE_FILTER (lib/order-workflow.ts): a balance lease's listing moved to the closed list. */
function isClosedLeaseListing(record: StreamRecord): boolean {
  const next = record.dynamodb?.NewImage;
  return record.eventName === 'MODIFY' && next?.entity?.S === 'lease-listing' && next.listPk?.S === keys.closedLeases;
}

/** RECONCILIATION_FILTER (lib/finance.ts). */
function isReconciliationJob(record: StreamRecord): boolean {
  return record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === 'finance-reconciliation';
}
