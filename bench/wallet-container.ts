// One "Lambda container" of the wallet-contention bench (bench/wallet-contention.ts), run as a child process: for each
// run it builds its own dependencies through the functions' own wiring (its own DynamoDB client, hence its own
// in-process wallet queue), then places orders one at a time until the run's end, as a container serves one
// request at a time. DynamoDB calls are counted in this client's own middleware, not in domain code.
import '../local/lambda-aliases.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isDomainError } from '../lambdas/shared/errors.js';
import { usePlatform } from '../lambdas/shared/platform.js';
import { documentClient } from '../lambdas/shared/platform/dynamodb.js';
import { DynamoOrderStore } from '../lambdas/adapters/dynamodb/order-store.js';
import { customerOrderServices } from '../lambdas/orders/wiring.js';
import { placeOrder } from '../lambdas/orders/application/place-order.js';
import { type AwsLatency, dynamoRequestHandler } from '../local/aws-latency.js';
import { placeByGroupCommit } from '../lambdas/adapters/dynamodb/group-commit.js';
import { type CallCounts, emptyCounts, meterCalls } from './wallet-meter.js';

export interface ContainerRun {
  /** DynamoDB Local's endpoint; absent when the bench serves its in-memory engine (asked by message). */
  endpoint?: string;
  table: string;
  ownerId: string;
  walletId: string;
  serviceId: number;
  latency?: AwsLatency;
  /** 'line': place through the wallet's line (group commit) only, never from a balance lease, to compare with it. */
  placement?: 'line';
}

export interface ContainerReport {
  /** Milliseconds each answered request took, orders and refusals alike. */
  latencies: number[];
  accepted: number;
  busy: number;
  /** Answers that were neither an order nor wallet_busy, by error name or code. */
  failures: Record<string, number>;
  calls: CallCounts;
  finishedAt: number;
  /** CPU time this container spent in the run (user + system, ms). */
  cpuMs: number;
}

type Message =
  | { type: 'prepare'; run: ContainerRun }
  | { type: 'go'; until: number }
  | { type: 'exit' }
  | { type: 'dynamo-answer'; id: number; statusCode: number; headers: Record<string, string>; body: Uint8Array };

/**
 * The bench's in-memory engine, reached by message: a smithy HttpHandler whose network is the IPC channel. Its
 * messages are structured clones (the bench forks with advanced serialization), bodies as bytes, so the channel costs
 * the containers little of the CPU they share.
 */
const dynamoCalls = new Map<number, (answer: Extract<Message, { type: 'dynamo-answer' }>) => void>();
let nextCall = 0;
const memoryEngine = {
  handle: (request: { headers: Record<string, string>; body?: unknown }) =>
    new Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }>((resolve) => {
      const id = nextCall++;
      dynamoCalls.set(id, (answer) => resolve({ response: { statusCode: answer.statusCode, headers: answer.headers, body: answer.body } }));
      process.send?.({ type: 'dynamo', id, headers: request.headers, body: request.body ?? '' });
    }),
  updateHttpClientConfig: () => undefined,
  httpHandlerConfigs: () => ({}),
  destroy: () => undefined,
};

let prepared: { run: ContainerRun; services: ReturnType<typeof customerOrderServices>; counts: CallCounts } | undefined;

async function prepare(run: ContainerRun): Promise<void> {
  Object.assign(process.env, { TABLE_NAME: run.table, AWS_REGION: 'us-east-1' });
  if (run.endpoint) process.env.DYNAMODB_ENDPOINT = run.endpoint;
  else delete process.env.DYNAMODB_ENDPOINT;
  // A fresh platform forgets every client and queue built for the previous run: a new container. Emulated round
  // trips to DynamoDB Local as the local stack's CODEX_AWS_LATENCY_MS adds them, in the client's request handler; to
  // the bench's engine, the bench adds them before it answers (the wait is the network's, not this container's: no
  // timer wakes it mid-call, as none wakes a Lambda container).
  const requestHandler = run.endpoint ? dynamoRequestHandler(run.latency) : memoryEngine;
  usePlatform({ metrics: { record: () => undefined }, ...(requestHandler ? { dynamoDb: { requestHandler } } : {}) });
  const counts = emptyCounts();
  meterCalls(documentClient() as DynamoDBDocumentClient, counts);
  const wired = customerOrderServices();
  const services = run.placement === 'line' ? { ...wired, orders: new DynamoOrderStore(documentClient(), run.table, placeByGroupCommit) } : wired;
  // A warm container: catalog, prices and settings cached, as after its first request.
  await services.catalog.getService(run.serviceId);
  await services.pricing?.pricingOf(run.ownerId);
  Object.assign(counts, emptyCounts());
  prepared = { run, services, counts };
}

async function go(until: number): Promise<ContainerReport> {
  if (!prepared) throw new Error('go before prepare');
  const { run, services, counts } = prepared;
  const report: ContainerReport = { latencies: [], accepted: 0, busy: 0, failures: {}, calls: counts, finishedAt: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  let i = 0;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      await placeOrder(services, {
        serviceId: run.serviceId,
        ownerId: run.ownerId,
        walletId: run.walletId,
        link: `https://youtube.com/watch?v=${process.pid}x${i++}`,
        quantity: 1000,
      });
      report.accepted++;
    } catch (error) {
      if (isDomainError(error, 'wallet_busy')) report.busy++;
      else {
        const name = isDomainError(error) ? error.code : error instanceof Error ? error.name : String(error);
        report.failures[name] = (report.failures[name] ?? 0) + 1;
      }
    }
    report.latencies.push(performance.now() - started);
  }
  report.finishedAt = Date.now();
  const used = process.cpuUsage(cpu);
  report.cpuMs = (used.user + used.system) / 1000;
  return report;
}

process.on('message', (message: Message) => {
  const reply = (value: unknown) => process.send?.(value);
  if (message.type === 'exit') process.exit(0);
  if (message.type === 'dynamo-answer') {
    dynamoCalls.get(message.id)?.(message);
    dynamoCalls.delete(message.id);
    return;
  }
  const work =
    message.type === 'prepare' ? prepare(message.run).then(() => ({ type: 'prepared' })) : go(message.until).then((report) => ({ type: 'report', report }));
  work.then(reply, (error: unknown) => reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});
// However the bench ends (an uncaught error included), no container outlives it.
process.on('disconnect', () => process.exit(0));
// Ended by the bench with SIGTERM: exit as from process.exit, so that BENCH_PROF's CPU profile is written.
process.on('SIGTERM', () => process.exit(0));
process.send?.({ type: 'started' });
