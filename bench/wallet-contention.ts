// `BENCH_PHASES=wallet npm run bench`: one reseller's wallet under orders from many Lambda containers at once. Each
// container is a child process (bench/wallet-container.ts) with its own DynamoDB client and in-process queues,
// placing orders one at a time for BENCH_WALLET_SECONDS (default 15) against DynamoDB Local, on loopback and with
// emulated AWS round trips, then against the bench's in-memory engine with emulated round trips (the store's own work
// off the containers' cores, as on AWS). Prints a markdown table per mode, then checks every wallet's books.
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCatalogStore } from '../lambdas/adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { DynamoWalletStore } from '../lambdas/adapters/dynamodb/wallet-store.js';
import { parseMoney } from '../lambdas/shared/money.js';
import { ensureTable, startDynamoLocal } from '../local/dynamodb-local.js';
import { MemoryDynamo } from '../local/dynamodb-memory/index.js';
import { ensureMemoryTable, freePort } from '../local/stack.js';
import type { ContainerReport, ContainerRun } from './wallet-container.js';
import { type AwsLatency, delayFor, dynamoRequestHandler } from '../local/aws-latency.js';
import { addCounts, emptyCounts } from './wallet-meter.js';
import { DynamoIdleLeases, recallLeases } from '../lambdas/adapters/dynamodb/balance-lease.js';
import { settleIdleLeases } from '../lambdas/wallets/application/settle-idle-leases.js';

/** One row of the table: `containers` containers spread over `wallets` wallets (container i on wallet i mod wallets). */
export interface ContentionCase {
  containers: number;
  wallets: number;
}

export const CONTENTION_CASES: ContentionCase[] = [
  { containers: 1, wallets: 1 },
  { containers: 4, wallets: 1 },
  { containers: 16, wallets: 1 },
  { containers: 32, wallets: 1 },
  { containers: 16, wallets: 16 },
];

/**
 * Today's figures for 32 containers on one wallet with AWS round trips (moveMoney's sequence race: main at 3af14bc, the
 * commit before the group commit, run with this bench on the idle 2-core machine, 2026-12-02 02:00 UTC), by store;
 * the issue's target multiplies them by 10.
 */
export const TODAY_ORDERS_PER_SECOND_32_ON_ONE: Readonly<Record<string, number>> = { 'DynamoDB Local': 1.7, 'the in-memory engine': 29 };

/** A round trip of a read and of a write from Lambda to DynamoDB in one region, about. */
export const AWS_ROUND_TRIPS: AwsLatency = { readMs: 4, writeMs: 15 };

const SERVICE = {
  id: 1,
  name: 'YouTube Views',
  type: 'Default' as const,
  category: 'YouTube',
  ratePer1000: parseMoney('0.90'),
  min: 50,
  max: 100_000,
  refill: false,
  cancel: true,
  dripfeed: false,
  enabled: true,
  providerId: 'demo',
  providerServiceId: '101',
};

export interface ContentionRow extends ContentionCase {
  /** DynamoDB Local or the in-memory engine. */
  store: string;
  /** Leases the bench's sweep settled during the row (off the containers' counts). */
  sweptLeases: number;
  /** The round trips added to each call; none on loopback. */
  latency?: AwsLatency;
  seconds: number;
  accepted: number;
  ordersPerSecond: number;
  p50: number;
  p99: number;
  /** The slowest answer in the row: a relay's leader waits for its relay. */
  max: number;
  attemptsPerOrder: number;
  canceledPerSecond: number;
  busy: number;
  failures: Record<string, number>;
  wcuPerOrder: number;
  measuredWcuPerOrder: number;
  canceledWcuPerOrder: number;
  estimatedCommittedWcu: number;
  committedTableWcu: number;
  readsPerOrder: number;
  writesPerOrder: number;
  /** Calls an accepted order took, by operation. */
  operationsPerOrder: Record<string, number>;
  /** CPU time an accepted order took in the containers, and in the bench's process (the in-memory engine, messages). */
  containerCpuMsPerOrder: number;
  storeCpuMsPerOrder?: number;
  reasons: Record<string, number>;
  errors: Record<string, number>;
  /** Every wallet: balance = Σ ledger, entries numbered 1..n without gaps, one charge per accepted order. */
  booksExact: boolean;
}

interface Container {
  child: ChildProcess;
  request<T>(message: unknown, expect: string): Promise<T>;
}

/**
 * Where a row's table lives. DynamoDB Local is a Java process on the containers' own two cores, and on this machine
 * it spends about 30 ms of CPU an order (four calls), more than the containers do: it caps every row near 50 orders/s
 * whatever the design. The in-memory engine (local/dynamodb-memory, the simulation's store, same transaction and
 * condition semantics, tests/integration/dynamodb-engine-conformance.test.ts) answers in this bench's process for a
 * fraction of that, reached by message; with emulated round trips it is the closer model of AWS, where the store's
 * work is not done on the function's cores.
 */
interface BenchStore {
  name: string;
  /** DynamoDB Local's endpoint; none for the in-memory engine. */
  endpoint?: string;
  /** A client in the bench's process; with round trips added to its calls when given (the sweep of leases). */
  client(latency?: AwsLatency): DynamoDBDocumentClient;
  ensureTable(table: string): Promise<void>;
}

function dynamoLocalStore(endpoint: string): BenchStore {
  return {
    name: 'DynamoDB Local',
    endpoint,
    client: (latency) => createDocumentClient({ region: 'us-east-1', endpoint, ...(latency ? { requestHandler: dynamoRequestHandler(latency) } : {}) }),
    ensureTable: async (table) => void (await ensureTable(endpoint, table)),
  };
}

function memoryStore(engine: MemoryDynamo): BenchStore {
  return {
    name: 'the in-memory engine',
    client: (latency) =>
      createDocumentClient({
        region: 'us-east-1',
        requestHandler: dynamoRequestHandler(latency, engine.requestHandler),
        retryDelayMs: 0,
      }),
    ensureTable: async (table) => void (await ensureMemoryTable(engine, table)),
  };
}

/** The in-memory engine answering a container's DynamoDB request (bench/wallet-container.ts's memoryEngine). */
async function answerFromMemory(
  engine: MemoryDynamo,
  child: ChildProcess,
  message: { id: number; headers: Record<string, string>; body: string | Uint8Array },
  latency: AwsLatency | undefined,
): Promise<void> {
  const target = message.headers['x-amz-target'] ?? '';
  const wait = latency ? delayFor(target.slice(target.indexOf('.') + 1), latency) : 0;
  // The round trip before the engine sees the call, as withAwsLatency adds it in front of DynamoDB Local.
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const { response } = await engine.requestHandler.handle({ headers: message.headers, body: message.body });
  if (child.connected)
    child.send({ type: 'dynamo-answer', id: message.id, statusCode: response.statusCode, headers: response.headers, body: response.body as Uint8Array });
}

/**
 * BENCH_WALLET_PLACEMENT=line: the containers place through the wallet's line (group commit) only, as before balance
 * leases; by default (or `product`) they place as the order functions do, from leases when they contend at a pace.
 */
const LINE_ONLY = ((placement) => {
  if (!placement || placement === 'product') return false;
  if (placement === 'line') return true;
  throw new Error(`BENCH_WALLET_PLACEMENT must be product or line; got ${placement}`);
})(process.env.BENCH_WALLET_PLACEMENT);

/** How long every container places on one wallet before the first row (the line's code warm). */
const WARM_LINE_SECONDS = 8;

/** The round trips the row under way adds to the engine's answers. */
let engineLatency: AwsLatency | undefined;

function startContainer(engine: MemoryDynamo): Promise<Container> {
  const child = fork(fileURLToPath(new URL('./wallet-container.ts', import.meta.url)), [], {
    // BENCH_PROF=<dir>: each container writes a CPU profile of its life there.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clones: a request's bytes cross as bytes, not JSON-escaped inside JSON.
    serialization: 'advanced',
  });
  child.on('message', (message: { type: string; id: number; headers: Record<string, string>; body: string | Uint8Array }) => {
    if (message.type === 'dynamo') void answerFromMemory(engine, child, message, engineLatency);
  });
  const request = <T>(message: unknown, expect: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (reply: { type: string; message?: string } & Record<string, unknown>) => {
        if (reply.type !== expect && reply.type !== 'error') return;
        child.off('message', onMessage);
        if (reply.type === 'error') reject(new Error(`container ${child.pid}: ${reply.message}`));
        else resolve(reply as T);
      };
      child.on('message', onMessage);
      if (message !== undefined) child.send(message as never);
    });
  return request<unknown>(undefined, 'started').then(() => ({ child, request }));
}

/** BENCH_WALLET_ROWS=32x1,16x16 runs those rows only (containers x wallets); every row by default. */
function casesToRun(): ContentionCase[] {
  const asked = process.env.BENCH_WALLET_ROWS;
  if (!asked) return CONTENTION_CASES;
  return asked.split(',').map((spec) => {
    const [containers, wallets] = spec.trim().split('x').map(Number);
    if (!(containers! >= 1 && wallets! >= 1 && wallets! <= containers! && containers! <= 32))
      throw new Error(`BENCH_WALLET_ROWS: "${spec}" is not <containers>x<wallets> (wallets <= containers <= 32)`);
    return { containers: containers!, wallets: wallets! };
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function seedTable(where: BenchStore, table: string, wallets: number): Promise<void> {
  await where.ensureTable(table);
  const db = where.client();
  const catalog = new DynamoCatalogStore(db, table, 0);
  await catalog.putProvider({
    id: 'demo',
    name: 'Demo',
    apiUrl: 'http://127.0.0.1:1',
    keySecretId: 'k',
    timeoutMs: 1000,
    acceptsRequestId: true,
    enabled: true,
  });
  await catalog.putService(SERVICE);
  const store = new DynamoWalletStore(db, table);
  const now = new Date().toISOString();
  for (let w = 0; w < wallets; w++) {
    await store.openWallet({ id: `wallet-${w}`, ownerId: `reseller-${w}`, currency: 'USD' }, now);
    // Enough for every order a run can place: the bench measures contention, not refusals.
    await store.credit({
      walletId: `wallet-${w}`,
      amount: parseMoney('10000000.00'),
      kind: 'deposit',
      reference: 'bench',
      idempotencyKey: `bench-${w}`,
      at: now,
    });
  }
  db.destroy();
}

async function booksExact(where: BenchStore, table: string, wallets: number, acceptedByWallet: number[]): Promise<boolean> {
  const db = where.client();
  const store = new DynamoWalletStore(db, table);
  try {
    for (let w = 0; w < wallets; w++) {
      // Every lease settled first: its charges are then in the ledger, one per order it paid for.
      await recallLeases(db, table, `wallet-${w}`, new Date().toISOString());
      const wallet = await store.getWallet(`wallet-${w}`);
      const ledger = await store.listLedger(`wallet-${w}`);
      const sum = ledger.reduce((total, entry) => total + entry.amount, 0);
      const gapless = ledger.every((entry, i) => entry.seq === i + 1) && wallet?.seq === ledger.length;
      const charges = ledger.filter((entry) => entry.kind === 'order_charge').length;
      if (wallet?.balance !== sum || !gapless || charges !== acceptedByWallet[w]) return false;
    }
    return true;
  } finally {
    db.destroy();
  }
}

async function runCase(
  containers: Container[],
  store: BenchStore,
  table: string,
  row: ContentionCase,
  seconds: number,
  latency?: AwsLatency,
): Promise<ContentionRow> {
  await seedTable(store, table, row.wallets);
  const used = containers.slice(0, row.containers);
  const runs: ContainerRun[] = used.map((_, i) => ({
    ...(store.endpoint ? { endpoint: store.endpoint } : {}),
    table,
    ownerId: `reseller-${i % row.wallets}`,
    walletId: `wallet-${i % row.wallets}`,
    serviceId: SERVICE.id,
    ...(latency ? { latency } : {}),
    ...(LINE_ONLY ? { placement: 'line' as const } : {}),
  }));
  engineLatency = store.endpoint ? undefined : latency;
  await Promise.all(used.map((c, i) => c.request({ type: 'prepare', run: runs[i] }, 'prepared')));
  const started = Date.now();
  const benchCpu = process.cpuUsage();
  // A sweep settles the leases the containers close, as settleIdleLeases does on AWS (from the table's stream, about a
  // second after each close; here every SWEEP_EVERY_MS), so that settlements meet the containers' orders within the row.
  let placing = true;
  const sweep = sweepLeases(store.client(latency), table, () => placing);
  const reports = await Promise.all(used.map((c) => c.request<{ report: ContainerReport }>({ type: 'go', until: started + seconds * 1000 }, 'report')));
  placing = false;
  const sweptLeases = await sweep;
  const elapsed = (Math.max(...reports.map((r) => r.report.finishedAt)) - started) / 1000;
  const benchUsed = process.cpuUsage(benchCpu);
  const latencies = reports.flatMap((r) => r.report.latencies).sort((a, b) => a - b);
  const calls = emptyCounts();
  const failures: Record<string, number> = {};
  const acceptedByWallet = new Array<number>(row.wallets).fill(0);
  reports.forEach(({ report }, i) => {
    addCounts(calls, report.calls);
    acceptedByWallet[i % row.wallets]! += report.accepted;
    for (const [name, n] of Object.entries(report.failures)) failures[name] = (failures[name] ?? 0) + n;
  });
  const accepted = acceptedByWallet.reduce((a, b) => a + b, 0);
  const perOrder = (n: number) => (accepted > 0 ? n / accepted : Number.NaN);
  return {
    ...row,
    store: store.name,
    ...(latency ? { latency } : {}),
    seconds: elapsed,
    accepted,
    ordersPerSecond: accepted / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    attemptsPerOrder: perOrder(calls.transactWrites),
    canceledPerSecond: calls.canceled / elapsed,
    busy: reports.reduce((sum, r) => sum + r.report.busy, 0),
    failures,
    wcuPerOrder: perOrder(calls.measuredWcu + calls.canceledWcu),
    measuredWcuPerOrder: perOrder(calls.measuredWcu),
    canceledWcuPerOrder: perOrder(calls.canceledWcu),
    estimatedCommittedWcu: calls.estimatedCommittedWcu,
    committedTableWcu: calls.committedTableWcu,
    containerCpuMsPerOrder: perOrder(reports.reduce((sum, r) => sum + r.report.cpuMs, 0)),
    // DynamoDB Local's CPU is another process's; the in-memory engine answers in this one.
    ...(store.endpoint ? {} : { storeCpuMsPerOrder: perOrder((benchUsed.user + benchUsed.system) / 1000) }),
    readsPerOrder: perOrder(calls.reads),
    writesPerOrder: perOrder(calls.writes),
    operationsPerOrder: Object.fromEntries(Object.entries(calls.operations).map(([name, n]) => [name, perOrder(n)])),
    reasons: calls.reasons,
    errors: calls.errors,
    sweptLeases,
    booksExact: await booksExact(store, table, row.wallets, acceptedByWallet),
  };
}

/** How often the bench's sweep of leases runs during a row. */
const SWEEP_EVERY_MS = 1_000;

/** Settles closed leases while the containers place; returns how many it settled. */
async function sweepLeases(db: DynamoDBDocumentClient, table: string, placing: () => boolean): Promise<number> {
  const leases = new DynamoIdleLeases(db, table);
  let settled = 0;
  try {
    while (placing()) {
      await new Promise((resolve) => setTimeout(resolve, SWEEP_EVERY_MS));
      settled += (await settleIdleLeases({ leases, clock: { now: () => new Date() } }, SWEEP_EVERY_MS)).settled;
    }
    return settled;
  } finally {
    db.destroy();
  }
}

const rate = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

export function contentionTable(rows: ContentionRow[]): string[] {
  const lines = [
    '| containers | wallets | orders/s | p50 | p99 | transaction attempts / order | canceled transactions / s | busy errors | WCU / order (measured + canceled) | books |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const other = Object.values(r.failures).reduce((a, b) => a + b, 0);
    lines.push(
      `| ${r.containers} | ${r.wallets} | ${rate(r.ordersPerSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.attemptsPerOrder.toFixed(2)} | ${rate(r.canceledPerSecond)} | ${r.busy}${other ? ` (+${other} other)` : ''} | ${r.wcuPerOrder.toFixed(1)} (${r.measuredWcuPerOrder.toFixed(1)} + ${r.canceledWcuPerOrder.toFixed(1)}) | ${r.booksExact ? 'exact' : 'WRONG'} |`,
    );
  }
  return lines;
}

/** Issue 14's targets, on one store's rows with AWS round trips. */
function targetVerdicts(rows: ContentionRow[]): string[] {
  const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES TARGET');
  const hot = rows.find((r) => r.containers === 32 && r.wallets === 1);
  const oneOf16 = rows.find((r) => r.containers === 16 && r.wallets === 1);
  const spread = rows.find((r) => r.containers === 16 && r.wallets === 16);
  const today = hot && TODAY_ORDERS_PER_SECOND_32_ON_ONE[hot.store];
  if (!hot || !oneOf16 || !spread || today === undefined) return [];
  const times = hot.ordersPerSecond / today;
  return [
    `  targets, 32 containers on one wallet: ${times.toFixed(1)}x today's ${today} orders/s on ${hot.store} (>= 10x): ${verdict(times >= 10)}; ` +
      `p99 ${ms(hot.p99)} (<= 250 ms): ${verdict(hot.p99 <= 250)}; ${hot.attemptsPerOrder.toFixed(2)} attempts an order (<= 1.2): ${verdict(hot.attemptsPerOrder <= 1.2)}; ` +
      `${hot.busy} busy errors (0): ${verdict(hot.busy === 0)}`,
    `  target, 16 containers: one wallet ${rate(oneOf16.ordersPerSecond)} orders/s, 16 wallets ${rate(spread.ordersPerSecond)} (at least half): ${verdict(oneOf16.ordersPerSecond >= spread.ordersPerSecond / 2)}`,
  ];
}

export async function walletContentionPhase(print: (line: string) => void): Promise<ContentionRow[]> {
  const seconds = Number(process.env.BENCH_WALLET_SECONDS ?? 15);
  if (!(seconds > 0)) throw new Error(`BENCH_WALLET_SECONDS must be a positive number of seconds; got ${process.env.BENCH_WALLET_SECONDS}`);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  print(`\nWallet contention: load average before ${load()} on this machine (2 cores: anything above 2 slows every figure)`);
  const local = await startDynamoLocal({ port: await freePort() });
  const engine = new MemoryDynamo();
  // BENCH_WALLET_CONFLICT_MS=<ms>: the engine answers TransactionConflict as AWS does (DynamoDB Local never does),
  // taking a transaction's items as held for that long after it commits (MemoryDynamo.emulateTransactionConflicts).
  const conflictMs = process.env.BENCH_WALLET_CONFLICT_MS === undefined ? undefined : Number(process.env.BENCH_WALLET_CONFLICT_MS);
  if (conflictMs !== undefined && !(conflictMs > 0))
    throw new Error(`BENCH_WALLET_CONFLICT_MS must be a positive number of milliseconds; got ${process.env.BENCH_WALLET_CONFLICT_MS}`);
  engine.emulateTransactionConflicts(conflictMs);
  const onJava = dynamoLocalStore(local.endpoint);
  const inMemory = memoryStore(engine);
  const most = Math.max(...casesToRun().map((c) => c.containers));
  const containers: Container[] = [];
  const all: ContentionRow[] = [];
  try {
    for (let i = 0; i < most; i += 8) containers.push(...(await Promise.all(Array.from({ length: Math.min(8, most - i) }, () => startContainer(engine)))));
    // Every container warm (JIT, connections) before the first measured row, each on its own wallet; then all on one
    // wallet, so that the line's paths are warm too, as in a container that has served a busy reseller. Without it a
    // first row on one wallet measured the JIT: 32 containers 209-246 orders/s and a p99 of 560-845 ms, with it
    // 280-305 and 261-268 ms (3 December, in-memory rows only).
    for (const store of [onJava, inMemory]) await runCase(containers, store, 'wallet-warmup', { containers: most, wallets: most }, 2);
    await runCase(containers, inMemory, 'wallet-warmup-line', { containers: most, wallets: 1 }, WARM_LINE_SECONDS, AWS_ROUND_TRIPS);
    const roundTrips = `emulated AWS round trips (${AWS_ROUND_TRIPS.readMs} ms a read, ${AWS_ROUND_TRIPS.writeMs} ms a write)`;
    let n = 0;
    // BENCH_WALLET_STORE=memory or =dynamodb-local runs one store's rows only.
    const only = process.env.BENCH_WALLET_STORE;
    const modes = [
      [onJava, 'loopback', undefined],
      [onJava, roundTrips, AWS_ROUND_TRIPS],
      [
        inMemory,
        conflictMs === undefined ? roundTrips : `${roundTrips} and TransactionConflict (a transaction's items held ${conflictMs} ms after it commits)`,
        AWS_ROUND_TRIPS,
      ],
    ] as const;
    for (const [store, mode, latency] of modes.filter(([store]) => !only || (only === 'memory') === (store === inMemory))) {
      const rows: ContentionRow[] = [];
      for (const row of casesToRun()) rows.push(await runCase(containers, store, `wallet-${n++}`, row, seconds, latency));
      print('');
      const placement = LINE_ONLY ? ', through the line only (BENCH_WALLET_PLACEMENT=line)' : ', from balance leases or the line (the product)';
      print(`Wallet contention, ${mode}: containers placing orders one at a time for ${seconds} s on ${store.name}${placement}`);
      print('');
      for (const line of contentionTable(rows)) print(line);
      const detail = rows
        .map((r) => {
          const reasons = Object.entries(r.reasons).map(([code, k]) => `${code} ${k}`);
          const operations = Object.entries(r.operationsPerOrder)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, k]) => `${name} ${k.toFixed(2)}`)
            .join(', ');
          const errors = Object.entries({ ...r.errors, ...r.failures }).map(([name, k]) => `${name} ${k}`);
          const cpu = `CPU ${r.containerCpuMsPerOrder.toFixed(1)} ms an order in the containers${r.storeCpuMsPerOrder !== undefined ? ` and ${r.storeCpuMsPerOrder.toFixed(1)} ms in the engine` : ''}`;
          return `  ${r.containers} on ${r.wallets}: ${r.accepted} orders in ${r.seconds.toFixed(1)} s, ${r.sweptLeases} leases settled by the sweep, slowest answer ${ms(r.max)}, ${r.readsPerOrder.toFixed(2)} reads and ${r.writesPerOrder.toFixed(2)} writes an order (${operations}), ${cpu}; cancellation reasons by item: ${reasons.join(', ') || 'none'}${errors.length ? `; errors: ${errors.join(', ')}` : ''}`;
        })
        .join('\n');
      print('');
      for (const line of detail.split('\n')) print(line);
      if (latency) for (const line of targetVerdicts(rows)) print(line);
      all.push(...rows);
    }
    const measured = all.reduce((sum, r) => sum + r.committedTableWcu, 0);
    const estimated = all.reduce((sum, r) => sum + r.estimatedCommittedWcu, 0);
    print(
      `  write units: measured (ReturnConsumedCapacity, table and indexes) on every successful write; a canceled transaction reports none and writes no index, so it is counted at 2 per item and KB on the table, ` +
        `the rule that gives ${estimated.toFixed(0)} WCU for the committed transactions' table writes DynamoDB Local measured at ${measured.toFixed(0)}`,
    );
    print(`  load average after: ${load()}`);
  } finally {
    for (const c of containers) c.child.kill();
    await local.stop();
  }
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await walletContentionPhase(console.log);
  process.exit(0);
}
