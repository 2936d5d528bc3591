// The payments area's adapters and services, each built on first use (see shared/platform.ts).
import { CryptomusGateway, type CryptomusCredentials } from '../adapters/cryptomus/cryptomus-gateway.js';
import { DynamoAttentionQueue } from '../adapters/dynamodb/attention-queue.js';
import { DynamoPromoCodeStore } from '../adapters/dynamodb/promo-code-store.js';
import { DynamoTopUpStore } from '../adapters/dynamodb/top-up-store.js';
import { settingsReader } from '../settings/wiring.js';
import { parseMoney } from '../shared/money.js';
import { lazy, platform } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { secretStore } from '../shared/platform/secrets.js';
import { walletStore } from '../wallets/wiring.js';
import type { AttentionQueue } from '../orders/ports.js';
import type { TopUpDeps } from './application/top-ups.js';
import type { PaymentMethod } from './domain/top-ups.js';
import { DemoGateway } from './gateways/demo.js';
import type { PaymentGateway, PaymentGateways, TopUpStore } from './ports.js';

export const topUpStore: () => TopUpStore = /* @__PURE__ */ lazy(() => new DynamoTopUpStore(documentClient(), tableName()));

/** The admin API's attention queue, where top-ups paid with a wrong amount wait for a person. */
export const attentionQueue: () => AttentionQueue = /* @__PURE__ */ lazy(() => new DynamoAttentionQueue(documentClient(), tableName()));

/**
 * The secret's JSON {merchant, paymentKey}. Every refusal is fixed text naming the secret, never quoting it:
 * JSON.parse's own message quotes the text it could not read, and this error reaches logs.
 */
export function parseCryptomusSecret(secretId: string, text: string): CryptomusCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`Secret ${secretId} is not JSON (expected {"merchant", "paymentKey"})`);
  }
  const { merchant, paymentKey } = (value && typeof value === 'object' ? value : {}) as Partial<Record<keyof CryptomusCredentials, unknown>>;
  if (typeof merchant !== 'string' || typeof paymentKey !== 'string') throw new Error(`Secret ${secretId} lacks merchant or paymentKey`);
  return { merchant, paymentKey };
}

/** Cryptomus is configured by its environment locally, by a secret on AWS; neither means it is not offered. */
function cryptomusCredentials(): (() => Promise<CryptomusCredentials>) | undefined {
  const c = config();
  if (c.CODEX_CRYPTOMUS_MERCHANT && c.CODEX_CRYPTOMUS_PAYMENT_KEY) {
    const credentials = { merchant: c.CODEX_CRYPTOMUS_MERCHANT, paymentKey: c.CODEX_CRYPTOMUS_PAYMENT_KEY };
    return async () => credentials;
  }
  const secretId = c.CRYPTOMUS_SECRET_ID;
  if (!secretId) return undefined;
  return async () => {
    return parseCryptomusSecret(secretId, await secretStore().get(secretId));
  };
}

export const demoGateway: () => DemoGateway | undefined = /* @__PURE__ */ lazy(() =>
  config().PAYMENT_METHODS.includes('demo') ? new DemoGateway(() => secretStore().get(config().DEMO_GATEWAY_SECRET_ID), systemClock) : undefined,
);

export const paymentGateways: () => PaymentGateways = /* @__PURE__ */ lazy(() => {
  const c = config();
  const built = new Map<PaymentMethod, PaymentGateway>();
  const demo = demoGateway();
  if (demo) built.set('demo', demo);
  const credentials = cryptomusCredentials();
  if (c.PAYMENT_METHODS.includes('cryptomus') && credentials) {
    built.set(
      'cryptomus',
      new CryptomusGateway({
        apiUrl: c.CODEX_CRYPTOMUS_API_URL,
        timeoutMs: c.PAYMENT_GATEWAY_TIMEOUT_MS,
        lifetimeSeconds: c.TOP_UP_LIFETIME_SECONDS,
        credentials,
        fetch: (...args) => (platform().fetch ?? fetch)(...args),
      }),
    );
  }
  return { offered: async () => [...built.keys()], get: async (method) => built.get(method) };
});

export const promoCodeStore: () => DynamoPromoCodeStore = /* @__PURE__ */ lazy(() => new DynamoPromoCodeStore(documentClient(), tableName()));

export const topUpDeps: () => TopUpDeps = /* @__PURE__ */ lazy(() => {
  const min = parseMoney(config().MIN_DEPOSIT);
  return {
    store: topUpStore(),
    gateways: paymentGateways(),
    wallets: walletStore(),
    clock: systemClock,
    promoCodes: promoCodeStore(),
    settings: {
      limits: { min, max: parseMoney(config().MAX_DEPOSIT) },
      // Settings over MIN_DEPOSIT, from the per-container cache; unreadable settings leave MIN_DEPOSIT in force.
      currentMinDeposit: () =>
        settingsReader()
          .current()
          .then(
            (s) => s.minDeposit,
            () => min,
          ),
      lifetimeSeconds: config().TOP_UP_LIFETIME_SECONDS,
    },
  };
});
