// Demo data for the local stack, written through the same stores and operations as production code:
// the demo provider and its services, and a funded demo reseller with an API key.
import { createApiKeyManagement } from '../lambdas/application/api-key-management.js';
import type { Service } from '../lambdas/domain/catalog.js';
import { parseMoney } from '../lambdas/domain/money.js';
import type { Dependencies } from '../lambdas/shared/dependencies.js';

export const DEMO_PROVIDER_ID = 'demo';
export const DEMO_PROVIDER_SECRET_ID = 'codex/providers/demo';
export const DEMO_RESELLER = { id: 'demo-reseller', email: 'reseller@codex.local', walletId: 'wallet-demo-reseller', deposit: '1000.00' };

export const DEMO_SERVICES: Omit<Service, 'providerId'>[] = [
  { id: 1, name: 'YouTube Views', type: 'Default', category: 'YouTube', ratePer1000: parseMoney('0.90'), costPer1000: parseMoney('0.50'), min: 50, max: 1_000_000, refill: false, cancel: true, dripfeed: false, enabled: true, providerServiceId: '101' },
  { id: 2, name: 'Instagram Followers', type: 'Default', category: 'Instagram', ratePer1000: parseMoney('2.40'), costPer1000: parseMoney('1.20'), min: 10, max: 50_000, refill: true, cancel: true, dripfeed: false, enabled: true, providerServiceId: '102' },
  { id: 3, name: 'TikTok Likes', type: 'Default', category: 'TikTok', ratePer1000: parseMoney('0.35'), costPer1000: parseMoney('0.20'), min: 10, max: 100_000, refill: false, cancel: false, dripfeed: false, enabled: true, providerServiceId: '103' },
  { id: 4, name: 'Telegram Members', type: 'Default', category: 'Telegram', ratePer1000: parseMoney('1.50'), costPer1000: parseMoney('0.80'), min: 100, max: 20_000, refill: true, cancel: true, dripfeed: false, enabled: true, providerServiceId: '104' },
];

export async function seedCatalog(deps: Dependencies, provider: { apiUrl: string; timeoutMs: number }): Promise<void> {
  await deps.catalog.putProvider({
    id: DEMO_PROVIDER_ID,
    name: 'Demo provider',
    apiUrl: provider.apiUrl,
    keySecretId: DEMO_PROVIDER_SECRET_ID,
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

/** Creates (or finds) a reseller with a funded wallet and registers `apiKey` (a new one when absent). */
export async function seedReseller(
  deps: Dependencies,
  reseller: { id: string; email: string; walletId: string; deposit: string },
  apiKey?: string,
): Promise<Reseller> {
  const now = deps.clock.now().toISOString();
  await deps.users.put({ id: reseller.id, email: reseller.email, role: 'reseller', walletId: reseller.walletId, createdAt: now });
  await deps.wallets.openWallet({ id: reseller.walletId, ownerId: reseller.id, currency: deps.config.CURRENCY }, now);
  await deps.wallets.credit({
    walletId: reseller.walletId,
    amount: parseMoney(reseller.deposit),
    kind: 'deposit',
    reference: 'seed:initial-deposit',
    idempotencyKey: `seed:${reseller.id}:initial-deposit`,
    at: now,
  });
  // The same operation resellers use; a persisted demo key is registered again as itself, which changes nothing.
  const management = createApiKeyManagement({
    db: deps.db,
    tableName: deps.config.TABLE_NAME,
    secrets: deps.secrets,
    pepperSecretId: deps.config.API_KEY_PEPPER_SECRET_ID,
    clock: deps.clock,
  });
  const { key } = await management.createApiKey(reseller.id, reseller.walletId, { label: 'demo', ...(apiKey !== undefined ? { presetKey: apiKey } : {}) });
  return { id: reseller.id, email: reseller.email, walletId: reseller.walletId, apiKey: key };
}
