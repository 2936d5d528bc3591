// Bench phase `admin-orders` (BENCH_PHASES=admin-orders): GET /admin/v1/orders on 10,000 orders spread over 30 days,
// several owners, services, providers and statuses, written straight into DynamoDB Local, at concurrency 16 over HTTP
// with the demo admin token, against a bare Query of the same index page (one day's partition of admin-lists).
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../lambdas/adapters/dynamodb/keys.js';
import { TABLE_DESIGN } from '../lambdas/adapters/dynamodb/table-design.js';
import { startLocalStack } from '../local/stack.js';

const ORDERS = 10_000;
const DAYS = 30;
const OWNERS = ['bench-owner-1', 'bench-owner-2', 'bench-owner-3', 'bench-owner-4', 'bench-owner-5'];
const PROVIDERS = ['bench-p1', 'bench-p2', 'bench-p3'];
const STATUSES = ['Completed', 'Completed', 'Completed', 'Partial', 'Canceled', 'In progress', 'Pending'];
const FIRST_ID = 900_000_000;

type Print = (line: string) => void;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed(concurrency: number, total: number, task: () => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        await task();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function adminOrdersPhase(print: Print): Promise<void> {
  const stack = await startLocalStack({ port: 0, measure: true, logLevel: 'ERROR' });
  try {
    const now = Date.now();
    const items = Array.from({ length: ORDERS }, (_, i) => {
      const id = FIRST_ID + i;
      // Newest first by id: order i is i * (30 days / 10,000) before now.
      const createdAt = new Date(now - Math.floor((i * DAYS * 86_400_000) / ORDERS)).toISOString();
      const ownerId = OWNERS[i % OWNERS.length]!;
      return {
        ...keys.order(id),
        entity: 'order',
        id,
        ownerId,
        walletId: `bench-wallet-${ownerId}`,
        serviceId: 1 + (i % 4),
        providerId: PROVIDERS[i % PROVIDERS.length]!,
        providerServiceId: '101',
        link: `https://youtube.com/watch?v=bench${i}`,
        quantity: 1000,
        ratePer1000: 900_000,
        charge: 900_000,
        refunded: 0,
        status: STATUSES[i % STATUSES.length]!,
        phase: 'finalized',
        submitAttempts: 1,
        createdAt,
        updatedAt: createdAt,
        ownerPk: keys.ownerOrders(ownerId),
        ownerSk: keys.ownerOrderSort(createdAt, id),
        ...keys.adminListOrders(createdAt, id),
      };
    });
    const chunks: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          await stack.deps.db.send(new BatchWriteCommand({ RequestItems: { codex: chunk.map((Item) => ({ PutRequest: { Item } })) } }));
        }
      }),
    );

    const get = async (query: string) => {
      const response = await fetch(`${stack.adminUrl}/orders?${query}`, { headers: { authorization: stack.admin.idToken } });
      if (response.status !== 200) throw new Error(`GET /admin/v1/orders?${query} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { items: unknown[] };
    };
    const today = new Date(now).toISOString().slice(0, 10);
    const bare = () =>
      stack.deps.db.send(
        new QueryCommand({
          TableName: 'codex',
          IndexName: TABLE_DESIGN.adminListsIndex.name,
          KeyConditionExpression: 'listPk = :pk',
          ExpressionAttributeValues: { ':pk': `ORDERDAY#${today}` },
          ScanIndexForward: false,
          Limit: 51,
        }),
      );
    const cases: [string, string][] = [
      ['no filter, a page of 50', 'limit=50'],
      ['status=Completed&provider=bench-p2', 'status=Completed&provider=bench-p2&limit=50'],
      ['service=3&status=Partial (1 order in 28)', 'service=3&status=Partial&limit=50'],
      ['user=bench-owner-2 (owner-orders index)', 'user=bench-owner-2&limit=50'],
      ['link=bench77 (substring, rare: walks the days)', 'link=bench77&limit=50'],
    ];
    print('');
    print(`GET /admin/v1/orders on ${ORDERS.toLocaleString('en')} orders over ${DAYS} days, concurrency 16, over HTTP with the admin token:`);
    await timed(16, 200, bare);
    const base = await timed(16, 400, bare);
    print(`  bare Query of one day's admin-lists page (Limit 51): p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms`);
    for (const [label, query] of cases) {
      await timed(16, 32, () => get(query));
      stack.capacity!.reset();
      let shown = 0;
      for (let i = 0; i < 10; i++) shown = (await get(query)).items.length;
      const reads = (stack.capacity!.byFunction.get('adminOrders')?.read ?? 0) / 10;
      const run = await timed(16, 160, () => get(query));
      print(
        `  ${label}: p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms (${(run.p50 / base.p50).toFixed(1)}x bare); ${shown} orders a page, ${reads.toFixed(1)} RCU a request`,
      );
    }
  } finally {
    await stack.stop();
  }
}
