// Whether a reseller's API Gateway key (its usage key) matches the tier its profile asks for, and what would bring it
// in step. Onboarding and pricing write the wanted tier only; the assignUsageKeys stream consumer does the rest.

export interface UsageKeyView {
  role: string;
  /** The tier the reseller is on (onboarding, pricing). Profiles from before it was kept have the key's tier only. */
  tier?: string;
  apiGatewayKey?: { id: string; tier: string };
  /** The tier for which no key could be made (the region's key limit): not tried again until the tier changes. */
  apiGatewayKeyRefusedFor?: string;
}

/** `ready`: the key is in the wanted tier's plan; `pending`: the consumer has not caught up yet (about a second);
 * `unavailable`: the region has no key left, so the reseller is throttled by the application only. */
export type UsageKeyState = 'ready' | 'pending' | 'unavailable';

export type UsageKeyStep = { kind: 'none' } | { kind: 'issue'; tier: string } | { kind: 'move'; keyId: string; tier: string };

export function wantedTier(profile: UsageKeyView): string | undefined {
  return profile.tier ?? profile.apiGatewayKey?.tier;
}

export function usageKeyStep(profile: UsageKeyView): UsageKeyStep {
  const tier = wantedTier(profile);
  if (profile.role !== 'reseller' || tier === undefined) return { kind: 'none' };
  if (profile.apiGatewayKey?.tier === tier) return { kind: 'none' };
  if (profile.apiGatewayKeyRefusedFor === tier && !profile.apiGatewayKey) return { kind: 'none' };
  return profile.apiGatewayKey ? { kind: 'move', keyId: profile.apiGatewayKey.id, tier } : { kind: 'issue', tier };
}

export function usageKeyState(profile: UsageKeyView): UsageKeyState | undefined {
  if (profile.role !== 'reseller' || wantedTier(profile) === undefined) return undefined;
  if (usageKeyStep(profile).kind !== 'none') return 'pending';
  return profile.apiGatewayKey ? 'ready' : 'unavailable';
}
