// A fresh table in the shared DynamoDB Local for one test file, with the real stores on top of it.
import { placeByGroupCommit } from '../../lambdas/adapters/dynamodb/group-commit.js';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoApiKeyStore, DynamoUserStore } from '../../lambdas/adapters/dynamodb/account-store.js';
import { DynamoCatalogStore } from '../../lambdas/adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { BlockOrderIdAllocator } from '../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { DynamoExclusiveLinks } from '../../lambdas/adapters/dynamodb/exclusive-links.js';
import { DynamoOrderStore } from '../../lambdas/adapters/dynamodb/order-store.js';
import { DynamoPendingReadings } from '../../lambdas/adapters/dynamodb/pending-readings.js';
import { DynamoRefillStore } from '../../lambdas/adapters/dynamodb/refill-store.js';
import { DynamoTaskTokenStore } from '../../lambdas/adapters/dynamodb/task-token-store.js';
import { DynamoWalletStore } from '../../lambdas/adapters/dynamodb/wallet-store.js';
import type { OrderServices } from '../../lambdas/orders/application/order-services.js';
import type { PublishedEvent } from '../../lambdas/shared/ports.js';
import { type Micros, micros, parseMoney } from '../../lambdas/shared/money.js';
import type { OrderWorkflow } from '../../lambdas/orders/ports.js';
import type { ProviderClients } from '../../lambdas/catalog/ports.js';
import { ensureTable, ensureTableWith } from '../../local/dynamodb-local.js';
import { MemoryDynamo } from '../../local/dynamodb-memory/index.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RecordedMetrics } from './recorded-metrics.js';

/** On the shared DynamoDB Local, or (engine 'memory') on a fresh in-memory engine, the simulation's store. */
export async function createTestTable(engine: 'dynamodb-local' | 'memory' = 'dynamodb-local') {
  const tableName = `test-${randomUUID()}`;
  const memory = engine === 'memory' ? new MemoryDynamo() : undefined;
  const endpoint = memory ? '' : inject('dynamoEndpoint');
  /** Another container's client on the same table. */
  const newClient = () =>
    memory ? createDocumentClient({ region: 'us-east-1', requestHandler: memory.requestHandler }) : createDocumentClient({ region: 'us-east-1', endpoint });
  if (memory) {
    const raw = new DynamoDBClient({
      region: 'us-east-1',
      requestHandler: memory.requestHandler as never,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    await ensureTableWith(raw, tableName);
  } else await ensureTable(endpoint, tableName);
  const db = newClient();
  return {
    endpoint,
    tableName,
    db,
    newClient,
    ...(memory ? { memory } : {}),
    catalog: new DynamoCatalogStore(db, tableName, 0),
    orders: new DynamoOrderStore(db, tableName, placeByGroupCommit),
    refills: new DynamoRefillStore(db, tableName),
    tokens: new DynamoTaskTokenStore(db, tableName),
    readings: new DynamoPendingReadings(db, tableName),
    links: new DynamoExclusiveLinks(db, tableName),
    wallets: new DynamoWalletStore(db, tableName),
    apiKeys: new DynamoApiKeyStore(db, tableName),
    users: new DynamoUserStore(db, tableName),
    allocator: (blockSize = 10) => new BlockOrderIdAllocator(db, tableName, blockSize),
    /** Every item in the table, to prove that a refused request wrote nothing. */
    async allItems(): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
  };
}

export type TestTable = Awaited<ReturnType<typeof createTestTable>>;

/** Order services on a test table, with a recorded workflow and event bus; providers come from the caller. */
export function orderServicesOn(
  table: TestTable,
  providers: ProviderClients = {
    forProvider: async () => {
      throw new Error('no provider in this test');
    },
  },
) {
  const published: PublishedEvent[] = [];
  const resumed: { token: string; output: Record<string, unknown> }[] = [];
  const started: number[] = [];
  const metrics = new RecordedMetrics();
  const workflow: OrderWorkflow = {
    ensureStarted: async (orderId) => void started.push(orderId),
    resume: async (token, output) => void resumed.push({ token, output }),
  };
  const services: OrderServices = {
    catalog: table.catalog,
    orders: table.orders,
    refills: table.refills,
    tokens: table.tokens,
    readings: table.readings,
    links: table.links,
    wallets: table.wallets,
    orderIds: table.allocator(),
    providers,
    workflow,
    events: { publish: async (events) => void published.push(...events) },
    clock: { now: () => new Date() },
    settings: { progressMinIntervalMs: 0, ambiguousConfirmMs: 30_000, sweepMinAgeMs: 0 },
    metrics,
  };
  return { services, published, resumed, started, metrics };
}

export async function fundedWallet(table: TestTable, walletId: string, amount: string): Promise<void> {
  const now = new Date().toISOString();
  await table.wallets.openWallet({ id: walletId, ownerId: `owner-${walletId}`, currency: 'USD' }, now);
  await table.wallets.credit({ walletId, amount: parseMoney(amount), kind: 'deposit', reference: 'test', idempotencyKey: `test-deposit-${walletId}`, at: now });
}

/** The wallet's balance and the sum of its ledger, which must always agree. */
export async function balanceAndLedger(table: TestTable, walletId: string): Promise<{ balance: Micros; ledgerSum: Micros; entries: number }> {
  const wallet = await table.wallets.getWallet(walletId);
  const ledger = await table.wallets.listLedger(walletId);
  return { balance: wallet!.balance, ledgerSum: micros(ledger.reduce((sum, e) => sum + e.amount, 0)), entries: ledger.length };
}

export const TEST_SERVICE = {
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
