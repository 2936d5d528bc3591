// One "Lambda container" of the wallet-contention bench (bench/wallet-contention.ts), run as a child process: for each
// run it builds its own dependencies through the functions' own wiring (its own DynamoDB client, hence its own
// in-process wallet queue), then places orders one at a time until the run's end, as a container serves one
// request at a time. DynamoDB calls are counted in this client's own middleware, not in domain code.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isDomainError } from '../lambdas/shared/errors.js';
import { usePlatform } from '../lambdas/shared/platform.js';
import { documentClient } from '../lambdas/shared/platform/dynamodb.js';
import { customerOrderServices } from '../lambdas/orders/wiring.js';
import { placeOrder } from '../lambdas/orders/application/place-order.js';
import { type AwsLatency, dynamoRequestHandler } from '../local/aws-latency.js';
import { type CallCounts, emptyCounts, meterCalls } from './wallet-meter.js';

export interface ContainerRun {
  endpoint: string;
  table: string;
  ownerId: string;
  walletId: string;
  serviceId: number;
  latency?: AwsLatency;
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
}

type Message = { type: 'prepare'; run: ContainerRun } | { type: 'go'; until: number } | { type: 'exit' };

let prepared: { run: ContainerRun; services: ReturnType<typeof customerOrderServices>; counts: CallCounts } | undefined;

async function prepare(run: ContainerRun): Promise<void> {
  Object.assign(process.env, { TABLE_NAME: run.table, DYNAMODB_ENDPOINT: run.endpoint, AWS_REGION: 'us-east-1' });
  // A fresh platform forgets every client and queue built for the previous run: a new container. Emulated round
  // trips as the local stack's CODEX_AWS_LATENCY_MS adds them: in the client's request handler.
  usePlatform({ metrics: { record: () => undefined }, ...(run.latency ? { dynamoDb: { requestHandler: dynamoRequestHandler(run.latency) } } : {}) });
  const counts = emptyCounts();
  meterCalls(documentClient() as DynamoDBDocumentClient, counts);
  const services = customerOrderServices();
  // A warm container: catalog, prices and settings cached, as after its first request.
  await services.catalog.getService(run.serviceId);
  await services.pricing?.pricingOf(run.ownerId);
  Object.assign(counts, emptyCounts());
  prepared = { run, services, counts };
}

async function go(until: number): Promise<ContainerReport> {
  if (!prepared) throw new Error('go before prepare');
  const { run, services, counts } = prepared;
  const report: ContainerReport = { latencies: [], accepted: 0, busy: 0, failures: {}, calls: counts, finishedAt: 0 };
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
  return report;
}

process.on('message', (message: Message) => {
  const reply = (value: unknown) => process.send?.(value);
  if (message.type === 'exit') process.exit(0);
  const work =
    message.type === 'prepare' ? prepare(message.run).then(() => ({ type: 'prepared' })) : go(message.until).then((report) => ({ type: 'report', report }));
  work.then(reply, (error: unknown) => reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});
// However the bench ends (an uncaught error included), no container outlives it.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'started' });
