// Bench phase `finance`: 30 days of 10,000 orders go through the totals code (recordTotals, the stream consumer's use
// case) as the stream would deliver them, batches of 100 records, on DynamoDB Local; then GET
// /admin/v1/finance/summary for the 30 days, grouped by day, week and month, through the admin finance handler.
// Prints the write units per order the totals cost, and the summary's p50/p99 (target p50 <= 50 ms).
import { createServer } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { keys } from '../lambdas/adapters/dynamodb/keys.js';
import { DynamoFinanceTotals } from '../lambdas/adapters/dynamodb/finance-totals.js';
import { recordTotals } from '../lambdas/finance/application/record-totals.js';
import type { ItemChange } from '../lambdas/finance/domain/totals.js';
import { handler as financeApi } from '../lambdas/rest/admin/handlers/finance-handler.js';
import { priceOf } from '../lambdas/shared/money.js';
import { usePlatform } from '../lambdas/shared/platform.js';
import { CapacityMeter } from '../local/capacity-meter.js';
import { ensureTable, startDynamoLocal } from '../local/dynamodb-local.js';

const ORDERS = 10_000;
const DAYS = 30;
const FIRST_DAY = Date.parse('2026-11-01T00:00:00Z');
const STATUSES = ['Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Partial', 'Canceled'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The stream's records of one order's life that the totals read: its charge, its settlement, its refund if any. */
function orderChanges(i: number): ItemChange[] {
  const placed = FIRST_DAY + Math.floor((i / ORDERS) * DAYS * 86_400_000);
  const settled = Math.min(placed + 3_600_000, FIRST_DAY + DAYS * 86_400_000 - 1);
  const serviceId = 1 + (i % 20);
  const providerId = `p${serviceId % 4}`;
  const quantity = 1000 + (i % 9) * 500;
  const ratePer1000 = 400_000 + serviceId * 50_000;
  const costPer1000 = Math.floor(ratePer1000 * 0.6);
  const charge = priceOf(ratePer1000 as never, quantity);
  const status = STATUSES[i % STATUSES.length]!;
  const remains = status === 'Completed' ? 0 : status === 'Canceled' ? quantity : Math.floor(quantity / 3);
  const refund = status === 'Completed' ? 0 : status === 'Canceled' ? charge : priceOf(ratePer1000 as never, remains);
  const walletId = `w${i % 200}`;
  const seq = 1000 + i * 2;
  const order = {
    entity: 'order',
    id: i + 1,
    walletId,
    serviceId,
    providerId,
    quantity,
    units: quantity,
    ratePer1000,
    costPer1000,
    charge,
    createdAt: new Date(placed).toISOString(),
  };
  const ledger = (n: number, kind: string, amount: number, at: number) => ({
    newImage: { entity: 'ledger', walletId, seq: n, kind, amount, balanceAfter: 0, reference: `order:${i + 1}`, at: new Date(at).toISOString() },
  });
  const finalizedAt = new Date(settled).toISOString();
  return [
    ledger(seq, 'order_charge', -charge, placed),
    {
      oldImage: { ...order, phase: 'submitted', status: 'In progress', refunded: 0 },
      newImage: {
        ...order,
        phase: 'finalized',
        status,
        remains,
        refunded: refund,
        finalizedAt,
        updatedAt: finalizedAt,
        providerCharge: priceOf(costPer1000 as never, quantity - remains),
      },
    },
    ...(refund > 0 ? [ledger(seq + 1, 'order_refund', refund, settled)] : []),
    // A deposit for every fifth order.
    ...(i % 5 === 0
      ? [
          {
            newImage: {
              entity: 'ledger',
              walletId: `d${i}`,
              seq: 1,
              kind: 'deposit',
              amount: 25_000_000,
              balanceAfter: 25_000_000,
              reference: `top-up:${i}`,
              at: new Date(placed).toISOString(),
            },
          },
        ]
      : []),
  ];
}

export async function financePhase(print: (line: string) => void): Promise<void> {
  print('\nFinance: totals from the stream, 30 days of 10,000 orders; GET /admin/v1/finance/summary');
  const dynamo = await startDynamoLocal({ port: await freePort() });
  try {
    const tableName = 'codex-bench-finance';
    await ensureTable(dynamo.endpoint, tableName);
    const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const meter = new CapacityMeter();
    meter.attach(db);
    const totals = new DynamoFinanceTotals(db, tableName);

    const changes = Array.from({ length: ORDERS }, (_, i) => orderChanges(i)).flat();
    const started = performance.now();
    for (let i = 0; i < changes.length; i += 100) await recordTotals(totals, changes.slice(i, i + 100));
    const seconds = (performance.now() - started) / 1000;
    const units = meter.byFunction.get('local-stack')?.write ?? 0;
    print(`  totals of ${ORDERS} orders (${changes.length} stream records) recorded in ${seconds.toFixed(1)} s, batches of 100`);
    print(`  write units per order, batched as the stream delivers: ${(units / ORDERS).toFixed(2)}`);

    // Worst case: one record per batch (a quiet table: every record alone), measured on 100 more orders.
    meter.reset();
    const alone = Array.from({ length: 100 }, (_, i) => orderChanges(ORDERS + i)).flat();
    for (const change of alone) await recordTotals(totals, [change]);
    print(`  write units per order, each record alone in its batch: ${((meter.byFunction.get('local-stack')?.write ?? 0) / 100).toFixed(2)}`);
    meter.reset();
    await recordTotals(totals, changes.slice(0, 100));
    print(`  a redelivered batch of 100 records: ${(meter.byFunction.get('local-stack')?.write ?? 0).toFixed(1)} write units, nothing added`);
    // DynamoDB Local under-reports the items of a transaction; AWS bills each item twice its size in KB, rounded up:
    // a marker (under 1 KB) 2 units, each of the day's items its Update touches 2 x its size.
    const sizeOf = async (part: 'TOTALS' | 'ORDERS') => {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.financeTotals('2026-11-15', part) }));
      const bytes = Object.entries(Item ?? {}).reduce((n, [name, value]) => n + name.length + String(value).length, 0);
      return { bytes, attributes: Object.keys(Item ?? {}).length, units: 2 * Math.ceil(bytes / 1024) };
    };
    const [ledgerItem, ordersItem] = [await sizeOf('TOTALS'), await sizeOf('ORDERS')];
    const ledgerRecords = changes.filter((c) => c.newImage?.entity === 'ledger').length / ORDERS;
    const recordsPerOrder = changes.length / ORDERS;
    const batched = recordsPerOrder * 2 + (ledgerItem.units + ordersItem.units) / (98 / recordsPerOrder);
    const quiet = ledgerRecords * (2 + ledgerItem.units) + (recordsPerOrder - ledgerRecords) * (2 + ordersItem.units);
    print(
      `  on AWS: a day's ledger totals ${(ledgerItem.bytes / 1024).toFixed(1)} KB (${ledgerItem.attributes} attributes), its order totals ${(ordersItem.bytes / 1024).toFixed(1)} KB (${ordersItem.attributes}); ${recordsPerOrder.toFixed(2)} records per order: about ${batched.toFixed(1)} write units per order in full batches, ${quiet.toFixed(1)} with every record alone`,
    );
    Object.assign(process.env, { TABLE_NAME: tableName, DYNAMODB_ENDPOINT: dynamo.endpoint });
    usePlatform({});
    for (const groupBy of ['day', 'week', 'month'] as const) {
      const event = (n: number) =>
        ({
          httpMethod: 'GET',
          resource: '/admin/v1/finance/summary',
          path: '/admin/v1/finance/summary',
          headers: { host: 'localhost' },
          queryStringParameters: { from: '2026-11-01', to: '2026-11-30', groupBy },
          pathParameters: null,
          body: null,
          isBase64Encoded: false,
          requestContext: { requestId: `bench-${n}`, identity: { sourceIp: '127.0.0.1' }, authorizer: { claims: { sub: 'bench', 'cognito:groups': 'admin' } } },
        }) as never;
      for (let i = 0; i < 20; i++) await financeApi(event(i));
      const latencies: number[] = [];
      let body = '';
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        const result = await financeApi(event(i));
        latencies.push(performance.now() - t0);
        if (result.statusCode !== 200) throw new Error(`summary answered ${result.statusCode}: ${result.body}`);
        body = result.body;
      }
      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 50);
      const summary = JSON.parse(body) as { total: { orders: { count: number }; profit: string }; periods: unknown[] };
      // The 100 orders recorded one record at a time count too.
      if (summary.total.orders.count !== ORDERS + 100) throw new Error(`the summary counts ${summary.total.orders.count} orders, not ${ORDERS + 100}`);
      print(
        `  summary, 30 days by ${groupBy} (${summary.periods.length} period${summary.periods.length === 1 ? '' : 's'}, ${Math.round(body.length / 1024)} KB): p50 ${p50.toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target p50 <= 50 ms: ${p50 <= 50 ? 'meets target' : 'MISSES TARGET'})`,
      );
    }
  } finally {
    await dynamo.stop();
  }
}
