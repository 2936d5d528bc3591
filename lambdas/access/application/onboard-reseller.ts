// Onboarding a reseller: the account with its tier, its wallet, and its first API key. Every step is safe to repeat.
// Its API Gateway key (so the gateway can throttle its header-key requests) follows from the table's stream within
// about a second (assignUsageKeys): no call to API Gateway here.
import type { ApiKeyLimits } from '../domain/api-keys.js';
import { type UsageKeyState, usageKeyState } from '../domain/usage-key.js';
import type { Clock } from '../../shared/ports.js';
import type { UserRecord, UserStore } from '../ports.js';
import type { WalletStore } from '../../wallets/ports.js';
import type { ApiKeyManagement } from './api-key-management.js';

export interface OnboardingServices {
  users: UserStore;
  wallets: WalletStore;
  keyManagement: ApiKeyManagement;
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
  /** Right after a first onboarding `pending`: the key is made from the stream (see UsageKeyState). */
  usageKey: UsageKeyState;
}

export async function onboardReseller(services: OnboardingServices, input: OnboardResellerInput): Promise<OnboardedReseller> {
  const now = services.clock.now().toISOString();
  const existing = await services.users.get(input.id);
  await services.wallets.openWallet({ id: input.walletId, ownerId: input.id, currency: services.currency }, now);

  // A key the stream consumer recorded earlier stays: it is moved, not made again, if the tier differs.
  const apiGatewayKey = existing?.apiGatewayKey;
  const user: UserRecord = {
    id: input.id,
    email: input.email,
    role: 'reseller',
    walletId: input.walletId,
    createdAt: existing?.createdAt ?? now,
    tier: input.tier,
    ...(apiGatewayKey ? { apiGatewayKey } : {}),
  };
  await services.users.put(user);

  const { key } = await services.keyManagement.createApiKey(input.id, input.walletId, {
    label: input.keyLabel ?? 'default',
    tier: input.tier,
    ...(input.keyLimits ? { limits: input.keyLimits } : {}),
    ...(input.presetKey !== undefined ? { presetKey: input.presetKey } : {}),
  });
  return { user, apiKey: key, usageKey: usageKeyState(user) ?? 'pending' };
}
