// A reseller's API Gateway key: the identity the gateway throttles by, not a credential (the Codex API key is).
// The authorizer returns its value as `usageIdentifierKey`, which puts the reseller's requests in its tier's usage plan.

export interface GatewayKey {
  id: string;
  value: string;
}

export interface GatewayKeys {
  /**
   * The reseller's key, in the tier's usage plan and no other. Safe to retry: a key left by an earlier attempt is
   * reused. Throws GatewayKeyLimitReached when the region holds all the keys it can (10,000, a hard limit).
   */
  issueFor(resellerId: string, tier: string): Promise<GatewayKey>;
  /** Puts the key in the tier's usage plan and takes it out of the other tiers' plans. */
  moveToTier(keyId: string, tier: string): Promise<void>;
  /** Deletes the key, which also frees its place under the regional limit. A key already gone is not an error. */
  revoke(keyId: string): Promise<void>;
}

/** No key could be created: the reseller stays on the shared key and is throttled by the application only. */
export class GatewayKeyLimitReached extends Error {
  override readonly name = 'GatewayKeyLimitReached';
  readonly code = 'gateway_key_limit';
  constructor(resellerId: string) {
    super(`No API Gateway key for reseller ${resellerId}: the region's API key limit is reached`);
  }
}
