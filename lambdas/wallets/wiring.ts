// The wallets area's adapters, each built on first use (see shared/platform.ts).
import { DynamoIdleLeases } from '../adapters/dynamodb/balance-lease.js';
import { DynamoWalletStore } from '../adapters/dynamodb/wallet-store.js';
import type { Clock } from '../shared/ports.js';
import { lazy } from '../shared/platform.js';
import { systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import type { IdleLeases, WalletStore } from './ports.js';

export const walletStore: () => WalletStore = /* @__PURE__ */ lazy(() => new DynamoWalletStore(documentClient(), tableName()));

export const idleLeaseServices: () => { leases: IdleLeases; clock: Clock } = /* @__PURE__ */ lazy(() => ({
  leases: new DynamoIdleLeases(documentClient(), tableName()),
  clock: systemClock,
}));
