// The wallets area's adapters, each built on first use (see shared/platform.ts).
import { DynamoWalletStore } from '../adapters/dynamodb/wallet-store.js';
import { lazy } from '../shared/platform.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import type { WalletStore } from './ports.js';

export const walletStore: () => WalletStore = /* @__PURE__ */ lazy(() => new DynamoWalletStore(documentClient(), tableName()));
