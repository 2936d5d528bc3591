// Brings a reseller's API Gateway key in step with the tier its profile asks for: issues it (first time) or moves it
// to the tier's usage plan, then records it on the profile unless the tier changed meanwhile. Reads the profile as it
// is now, not as the stream record showed it, so a redelivered or stale record changes nothing; issueFor reuses a key
// an earlier attempt made, so nothing is issued twice.
import { GatewayKeyLimitReached, type GatewayKeys } from '../domain/gateway-keys.js';
import { usageKeyStep } from '../domain/usage-key.js';
import type { Clock } from '../../shared/ports.js';
import type { UsageKeyProfiles } from '../ports.js';

export interface UsageKeyDeps {
  profiles: UsageKeyProfiles;
  gatewayKeys: GatewayKeys;
  clock: Clock;
}

export type UsageKeyOutcome = 'in_step' | 'issued' | 'moved' | 'unavailable' | 'tier_changed';

export async function assignUsageKey(deps: UsageKeyDeps, userId: string): Promise<UsageKeyOutcome> {
  const profile = await deps.profiles.get(userId);
  const step = profile ? usageKeyStep(profile) : ({ kind: 'none' } as const);
  if (!profile || step.kind === 'none') return 'in_step';
  const at = deps.clock.now().toISOString();
  if (step.kind === 'move') {
    await deps.gatewayKeys.moveToTier(step.keyId, step.tier);
    const recorded = await deps.profiles.recordKey(userId, { ...profile.apiGatewayKey!, tier: step.tier }, at);
    return recorded === 'recorded' ? 'moved' : recorded;
  }
  try {
    const key = await deps.gatewayKeys.issueFor(userId, step.tier);
    const recorded = await deps.profiles.recordKey(userId, { id: key.id, value: key.value, tier: step.tier }, at);
    return recorded === 'recorded' ? 'issued' : recorded;
  } catch (error) {
    if (!(error instanceof GatewayKeyLimitReached)) throw error;
    const recorded = await deps.profiles.recordRefused(userId, step.tier, at);
    return recorded === 'recorded' ? 'unavailable' : recorded;
  }
}
