// Demo data for the local stack, written through the same stores and operations as production code:
// the demo provider and its services, a funded demo reseller with an API key, and a verified demo customer.
import { assignUsageKey } from '../lambdas/access/application/assign-usage-key.js';
import { onboardReseller } from '../lambdas/access/application/onboard-reseller.js';
import type { ApiKeyLimits } from '../lambdas/access/domain/api-keys.js';
import { DEFAULT_TIER } from '../lambdas/access/domain/tiers.js';
import type { Service } from '../lambdas/catalog/domain/catalog.js';
import { parseMoney } from '../lambdas/shared/money.js';
import type { LocalServices } from './services.js';
import type { AccountStore } from '../lambdas/customers/ports.js';
import { hashPassword, verifyPassword } from '../lambdas/customers/domain/password.js';
import { hashToken, newSecretToken } from '../lambdas/customers/domain/tokens.js';

export const DEMO_PROVIDER_ID = 'demo';
export const DEMO_PROVIDER_SECRET_ID = 'codex/providers/demo';
/** The demo provider's callback secret (Standard Webhooks): it may push status updates to the local API. */
export const DEMO_PROVIDER_CALLBACK_SECRET_ID = 'codex/providers/demo/callback';
export const DEMO_RESELLER = { id: 'demo-reseller', email: 'reseller@codex.local', walletId: 'wallet-demo-reseller', deposit: '1000.00' };

const service = (
  id: number,
  name: string,
  type: Service['type'],
  category: string,
  rate: string,
  cost: string,
  min: number,
  max: number,
  providerServiceId: string,
  flags: Partial<Pick<Service, 'refill' | 'cancel' | 'dripfeed' | 'refillDays' | 'exclusiveLink' | 'packageSize'>> = {},
): Omit<Service, 'providerId'> => ({
  id,
  name,
  type,
  category,
  ratePer1000: parseMoney(rate),
  costPer1000: parseMoney(cost),
  min,
  max,
  providerServiceId,
  refill: false,
  cancel: false,
  dripfeed: false,
  enabled: true,
  ...flags,
});

/** One service of every type the reseller API supports, each fulfilled by a demo provider service. */
export const DEMO_SERVICES: Omit<Service, 'providerId'>[] = [
  service(1, 'YouTube Views', 'Default', 'YouTube', '0.90', '0.50', 50, 1_000_000, '101', { cancel: true }),
  service(2, 'Instagram Followers', 'Default', 'Instagram', '2.40', '1.20', 10, 50_000, '102', { refill: true, cancel: true, refillDays: 30 }),
  service(3, 'TikTok Likes', 'Default', 'TikTok', '0.35', '0.20', 10, 100_000, '103'),
  service(4, 'Telegram Members', 'Default', 'Telegram', '1.50', '0.80', 100, 20_000, '104', { refill: true, cancel: true }),
  service(5, 'Instagram Likes [Drip-feed]', 'Default', 'Instagram', '0.70', '0.40', 20, 50_000, '105', { cancel: true, dripfeed: true }),
  service(6, 'Instagram Story Views Package [10K]', 'Package', 'Instagram', '4.00', '2.50', 1, 1, '106', { packageSize: 10_000 }),
  service(7, 'Instagram Custom Comments', 'Custom Comments', 'Instagram Comments', '20.00', '12.00', 5, 1000, '107', { cancel: true }),
  service(8, 'Instagram Custom Comments Package [10]', 'Custom Comments Package', 'Instagram Comments', '6.00', '4.00', 1, 1, '108'),
  service(9, 'Instagram Mentions', 'Mentions', 'Instagram Mentions', '9.00', '6.00', 100, 10_000, '109'),
  service(10, 'Instagram Mentions with Hashtags', 'Mentions with Hashtags', 'Instagram Mentions', '10.00', '7.00', 100, 10_000, '110'),
  service(11, 'Instagram Mentions [Custom List]', 'Mentions Custom List', 'Instagram Mentions', '12.00', '8.00', 10, 5000, '111'),
  service(12, 'Instagram Mentions [Hashtag Users]', 'Mentions Hashtag', 'Instagram Mentions', '9.50', '6.50', 100, 10_000, '112'),
  service(13, 'Instagram Mentions [User Followers]', 'Mentions User Followers', 'Instagram Mentions', '9.50', '6.50', 100, 10_000, '113'),
  service(14, 'Instagram Mentions [Media Likers]', 'Mentions Media Likers', 'Instagram Mentions', '9.50', '6.50', 100, 10_000, '114'),
  service(15, 'Instagram Comment Likes', 'Comment Likes', 'Instagram Comments', '4.50', '3.00', 20, 10_000, '115', { cancel: true }),
  service(16, 'Instagram Comment Replies', 'Comment Replies', 'Instagram Comments', '22.00', '15.00', 5, 500, '116', { cancel: true }),
  service(17, 'Telegram Poll Votes', 'Poll', 'Telegram', '1.60', '1.10', 50, 20_000, '117', { cancel: true }),
  service(18, 'Website Traffic from Google [Keywords]', 'SEO', 'Website Traffic', '3.20', '2.20', 100, 100_000, '118', { cancel: true }),
  service(19, 'Telegram Members [Invites from Groups]', 'Invites from Groups', 'Telegram', '13.00', '9.00', 100, 10_000, '119', { refill: true, cancel: true }),
  service(20, 'Instagram Auto Likes [Subscription]', 'Subscriptions', 'Instagram Auto', '0.90', '0.60', 50, 5000, '120', { cancel: true }),
  service(21, 'YouTube Live Stream Viewers [one order per link]', 'Default', 'YouTube', '1.80', '1.00', 50, 10_000, '101', {
    cancel: true,
    exclusiveLink: true,
  }),
];

export async function seedCatalog(deps: LocalServices, provider: { apiUrl: string; timeoutMs: number }): Promise<void> {
  await deps.catalog.putProvider({
    id: DEMO_PROVIDER_ID,
    name: 'Demo provider',
    apiUrl: provider.apiUrl,
    keySecretId: DEMO_PROVIDER_SECRET_ID,
    callbackSecretId: DEMO_PROVIDER_CALLBACK_SECRET_ID,
    timeoutMs: provider.timeoutMs,
    acceptsRequestId: true,
    enabled: true,
  });
  for (const service of DEMO_SERVICES) await deps.catalog.putService({ ...service, providerId: DEMO_PROVIDER_ID });
}

export interface Reseller {
  id: string;
  email: string;
  walletId: string;
  apiKey: string;
}

/** Onboards (or finds) a reseller with its usage key, funds its wallet once, and registers `apiKey` (a new one when absent). */
export async function seedReseller(
  deps: LocalServices,
  reseller: { id: string; email: string; walletId: string; deposit: string },
  apiKey?: string,
  keyLimits?: Partial<ApiKeyLimits>,
): Promise<Reseller> {
  const { apiKey: key } = await onboardReseller(
    { ...deps, currency: deps.config.CURRENCY },
    {
      id: reseller.id,
      email: reseller.email,
      walletId: reseller.walletId,
      tier: DEFAULT_TIER,
      keyLabel: 'demo',
      ...(apiKey !== undefined ? { presetKey: apiKey } : {}),
      ...(keyLimits ? { keyLimits } : {}),
    },
  );
  // The stream consumer would issue the usage key too, but the stack's stream poller starts after seeding (at the
  // stream's end): the demo reseller has its key from the start, as the consumer would make it.
  await assignUsageKey(deps.usageKeys, reseller.id);
  await deps.wallets.credit({
    walletId: reseller.walletId,
    amount: parseMoney(reseller.deposit),
    kind: 'deposit',
    reference: 'seed:initial-deposit',
    idempotencyKey: `seed:${reseller.id}:initial-deposit`,
    at: deps.clock.now().toISOString(),
  });
  return { id: reseller.id, email: reseller.email, walletId: reseller.walletId, apiKey: key };
}

export const DEMO_CUSTOMER = { id: 'demo-customer', email: 'customer@codex.local', password: 'codex-demo-2026', walletId: 'wallet-demo-customer' };

/**
 * A verified customer with an empty wallet, there after every start with the demo password (set again if it was
 * changed), through the same store and one-time token path as a real registration and verification.
 */
export async function seedCustomer(accounts: AccountStore, currency: string, now: Date): Promise<{ id: string; email: string; password: string }> {
  const { id, email, password, walletId } = DEMO_CUSTOMER;
  const existing = await accounts.get(id);
  if (!existing) {
    await accounts.create({ id, email, walletId, currency, name: 'Demo Customer', passwordHash: await hashPassword(password), createdAt: now.toISOString() });
  }
  const passwordOk = existing?.passwordHash !== undefined && (await verifyPassword(password, existing.passwordHash));
  if (!existing?.emailVerified || !passwordOk) {
    const inAnHour = new Date(now.getTime() + 3_600_000);
    const verify = newSecretToken();
    await accounts.issueToken('verify-email', hashToken(verify), id, inAnHour);
    await accounts.redeemToken('verify-email', hashToken(verify), { kind: 'verify-email' }, now);
    if (existing && !passwordOk) {
      const reset = newSecretToken();
      await accounts.issueToken('reset-password', hashToken(reset), id, inAnHour);
      await accounts.redeemToken('reset-password', hashToken(reset), { kind: 'set-password', passwordHash: await hashPassword(password) }, now);
    }
  }
  return { id, email, password };
}
