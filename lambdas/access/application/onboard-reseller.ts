// Onboarding a reseller: the account, its wallet, its API Gateway key in its tier's usage plan (so the gateway can
// throttle its header-key requests), and its first API key. Every step is safe to repeat.
import type { ApiKeyLimits } from '../domain/api-keys.js';
import { GatewayKeyLimitReached, type GatewayKeys } from '../domain/gateway-keys.js';
import type { Clock } from '../../shared/ports.js';
import type { UserRecord, UserStore } from '../ports.js';
import type { WalletStore } from '../../wallets/ports.js';
import type { ApiKeyManagement } from './api-key-management.js';

export interface OnboardingServices {
  users: UserStore;
  wallets: WalletStore;
  keyManagement: ApiKeyManagement;
  gatewayKeys: GatewayKeys;
  clock: Clock;
  currency: string;
}

export interface OnboardResellerInput {
  id: string;
  email: string;
  walletId: string;
  tier: string;
  keyLabel?: string;
  keyLimits?: Partial<ApiKeyLimits>;
  /** Seeding only: registers this key instead of a new one. */
  presetKey?: string;
}

export interface OnboardedReseller {
  user: UserRecord;
  /** Shown once: only its hash is kept. */
  apiKey: string;
  /** False past the region's 10,000 gateway keys: the reseller is then throttled by the application only. */
  hasGatewayKey: boolean;
}

export async function onboardReseller(services: OnboardingServices, input: OnboardResellerInput): Promise<OnboardedReseller> {
  const now = services.clock.now().toISOString();
  const existing = await services.users.get(input.id);
  await services.wallets.openWallet({ id: input.walletId, ownerId: input.id, currency: services.currency }, now);

  let apiGatewayKey = existing?.apiGatewayKey;
  if (!apiGatewayKey || apiGatewayKey.tier !== input.tier) {
    try {
      const key = await services.gatewayKeys.issueFor(input.id, input.tier);
      apiGatewayKey = { id: key.id, value: key.value, tier: input.tier };
    } catch (error) {
      if (!(error instanceof GatewayKeyLimitReached)) throw error;
    }
  }
  const user: UserRecord = {
    id: input.id,
    email: input.email,
    role: 'reseller',
    walletId: input.walletId,
    createdAt: existing?.createdAt ?? now,
    ...(apiGatewayKey ? { apiGatewayKey } : {}),
  };
  await services.users.put(user);

  const { key } = await services.keyManagement.createApiKey(input.id, input.walletId, {
    label: input.keyLabel ?? 'default',
    tier: input.tier,
    ...(input.keyLimits ? { limits: input.keyLimits } : {}),
    ...(input.presetKey !== undefined ? { presetKey: input.presetKey } : {}),
  });
  return { user, apiKey: key, hasGatewayKey: apiGatewayKey !== undefined };
}
