// Composition root: builds the adapters once per container. On AWS the platform services are the AWS ones;
// the local stack swaps in its stand-ins (usePlatform) before the first handler runs. Handlers never know which.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ApiGatewayKeys } from '../adapters/apigateway/api-gateway-keys.js';
import { DynamoApiKeyStore, DynamoUserStore } from '../adapters/dynamodb/account-store.js';
import { DynamoCatalogStore } from '../adapters/dynamodb/catalog-store.js';
import { createDocumentClient } from '../adapters/dynamodb/client.js';
import { BlockOrderIdAllocator } from '../adapters/dynamodb/order-id-allocator.js';
import { DynamoOrderStore } from '../adapters/dynamodb/order-store.js';
import { DynamoWalletStore } from '../adapters/dynamodb/wallet-store.js';
import { EventBridgePublisher } from '../adapters/eventbridge/event-bridge-publisher.js';
import { SmmV2ProviderClients } from '../adapters/provider/smm-v2-client.js';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.js';
import { StepFunctionsOrderWorkflow } from '../adapters/stepfunctions/step-functions-workflow.js';
import { ApiKeyManagement } from '../access/application/api-key-management.js';
import { ResellerAccess } from '../access/application/reseller-access.js';
import { DynamoAccessCounters } from '../adapters/dynamodb/rate-counters.js';
import { TIERS, TIER_NAMES } from '../access/domain/tiers.js';
import type { OrderServices } from '../orders/application/order-services.js';
import type { GatewayKeys } from '../access/domain/gateway-keys.js';
import type { ApiKeyStore, UserStore } from '../access/ports.js';
import type { EventPublisher, SecretStore } from './ports.js';
import type { OrderWorkflow, RefillIdAllocator } from '../orders/ports.js';
import { type Config, loadConfig } from './config.js';

export interface Platform {
  secrets: SecretStore;
  gatewayKeys: GatewayKeys;
  workflow: OrderWorkflow;
  events: EventPublisher;
  fetch?: typeof fetch;
}

export interface Dependencies extends OrderServices {
  config: Config;
  gatewayKeys: GatewayKeys;
  access: ResellerAccess;
  keyManagement: ApiKeyManagement;
  refillIds: RefillIdAllocator;
  db: DynamoDBDocumentClient;
  apiKeys: ApiKeyStore;
  users: UserStore;
  secrets: SecretStore;
}

let platformOverride: Platform | undefined;
let current: Dependencies | undefined;

export function usePlatform(platform: Platform): void {
  platformOverride = platform;
  current = undefined;
}

export function dependencies(): Dependencies {
  current ??= build(loadConfig(), platformOverride);
  return current;
}

function awsPlatform(config: Config): Platform {
  return {
    secrets: new SecretsManagerStore(new SecretsManagerClient({ region: config.AWS_REGION })),
    gatewayKeys: new ApiGatewayKeys(new APIGatewayClient({ region: config.AWS_REGION }), config.STAGE),
    workflow: new StepFunctionsOrderWorkflow(new SFNClient({ region: config.AWS_REGION }), config.STATE_MACHINE_ARN),
    events: new EventBridgePublisher(new EventBridgeClient({ region: config.AWS_REGION }), config.EVENT_BUS_NAME),
  };
}

function build(config: Config, override: Platform | undefined): Dependencies {
  const platform = override ?? awsPlatform(config);
  const db = createDocumentClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) });
  const table = config.TABLE_NAME;
  const apiKeys = new DynamoApiKeyStore(db, table);
  const clock = { now: () => new Date() };
  // Other containers see a changed key when their cached copy expires (60 s); this one at once.
  const access = new ResellerAccess(
    { keys: apiKeys, counters: new DynamoAccessCounters(db, table), secrets: platform.secrets, pepperSecretId: config.API_KEY_PEPPER_SECRET_ID },
    { tiers: TIERS },
  );
  return {
    config,
    db,
    catalog: new DynamoCatalogStore(db, table),
    orders: new DynamoOrderStore(db, table),
    wallets: new DynamoWalletStore(db, table),
    orderIds: new BlockOrderIdAllocator(db, table, config.ORDER_ID_BLOCK_SIZE),
    refillIds: new BlockOrderIdAllocator(db, table, 10, { counterName: 'refill-id', firstId: 1 }),
    providers: new SmmV2ProviderClients(platform.secrets, platform.fetch),
    workflow: platform.workflow,
    events: platform.events,
    clock,
    settings: { progressMinIntervalMs: config.PROGRESS_MIN_INTERVAL_SECONDS * 1000, sweepMinAgeMs: config.SWEEP_MIN_AGE_SECONDS * 1000 },
    apiKeys,
    users: new DynamoUserStore(db, table),
    access,
    keyManagement: new ApiKeyManagement({
      keys: apiKeys,
      secrets: platform.secrets,
      pepperSecretId: config.API_KEY_PEPPER_SECRET_ID,
      clock,
      tierNames: TIER_NAMES,
      onKeyChanged: (keyId) => access.forgetKey(keyId),
    }),
    secrets: platform.secrets,
    gatewayKeys: platform.gatewayKeys,
  };
}
