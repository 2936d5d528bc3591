// Reseller tiers, defined once. CDK builds one API Gateway usage plan per tier from these limits (header-key
// requests, identified by the authorizer); the application applies the same limits to body-key requests, which no
// authorizer can see.

export interface Tier {
  /** Sustained requests a minute allowed to one reseller. */
  requestsPerMinute: number;
  /** Requests allowed at once above the sustained rate (the size of the token bucket). */
  burst: number;
  /** Orders (`add`) a reseller may place per UTC day. Counted by the application: a usage plan counts requests. */
  dailyOrderQuota: number;
}

export const TIERS = {
  standard: { requestsPerMinute: 120, burst: 20, dailyOrderQuota: 10_000 },
  pro: { requestsPerMinute: 300, burst: 50, dailyOrderQuota: 50_000 },
  enterprise: { requestsPerMinute: 1_200, burst: 200, dailyOrderQuota: 200_000 },
} as const satisfies Record<string, Tier>;

export type TierName = keyof typeof TIERS;

export const TIER_NAMES = Object.keys(TIERS) as TierName[];

export const DEFAULT_TIER: TierName = 'standard';

export function isTierName(value: string): value is TierName {
  return Object.hasOwn(TIERS, value);
}

/** The tier as an API Gateway throttle: a token bucket refilled at `rateLimit` requests a second. */
export function gatewayThrottle(tier: TierName): { rateLimit: number; burstLimit: number } {
  return { rateLimit: TIERS[tier].requestsPerMinute / 60, burstLimit: TIERS[tier].burst };
}

/**
 * Names of a stage's gateway resources. CDK creates the usage plans and the shared key under these names and the
 * functions find them by name: passing the plan ids in the environment would make the reseller API function
 * depend on its own API's stage (function -> usage plan -> stage -> deployment -> method -> function).
 */
export function gatewayNames(stage: string) {
  return {
    usagePlan: (tier: TierName) => `codex-${stage}-${tier}`,
    /** The plan of the shared key: body-key requests, unknown header keys, resellers without a key of their own. */
    sharedUsagePlan: `codex-${stage}-shared`,
    /** `reseller-` keeps a reseller's key from ever being named like the shared key. */
    resellerKey: (resellerId: string) => `codex-${stage}-reseller-${resellerId}`,
    sharedKey: `codex-${stage}-shared`,
    /** Secret holding the shared key's value, which the authorizer returns as `usageIdentifierKey`. */
    sharedKeySecret: `codex/${stage}/gateway-shared-key`,
  };
}
