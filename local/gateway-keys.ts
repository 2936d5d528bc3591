// API Gateway keys for the local stack and tests: keys and their tiers in memory, with the regional limit
// (10,000 on AWS) configurable so the "no key left" path can be tried.
import { randomBytes, randomUUID } from 'node:crypto';
import { type GatewayKey, GatewayKeyLimitReached, type GatewayKeys } from '../lambdas/access/domain/gateway-keys.js';
import { gatewayNames, isTierName, type TierName } from '../lambdas/access/domain/tiers.js';

interface LocalKey extends GatewayKey {
  name: string;
  tier?: TierName;
}

export class InMemoryGatewayKeys implements GatewayKeys {
  private readonly keys = new Map<string, LocalKey>();
  private readonly names = gatewayNames('local');

  constructor(private readonly maxKeys = 10_000) {}

  async issueFor(resellerId: string, tier: string): Promise<GatewayKey> {
    const name = this.names.resellerKey(resellerId);
    let key = [...this.keys.values()].find((k) => k.name === name);
    if (!key) {
      checkTier(tier);
      if (this.keys.size >= this.maxKeys) throw new GatewayKeyLimitReached(resellerId);
      key = { id: randomUUID(), value: randomBytes(30).toString('base64url'), name };
      this.keys.set(key.id, key);
    }
    await this.moveToTier(key.id, tier);
    return { id: key.id, value: key.value };
  }

  async moveToTier(keyId: string, tier: string): Promise<void> {
    checkTier(tier);
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`No gateway key ${keyId}`);
    key.tier = tier;
  }

  async revoke(keyId: string): Promise<void> {
    this.keys.delete(keyId);
  }

  /** The tier whose limits apply to the key's value, as the gateway would find it from `usageIdentifierKey`. */
  tierOfValue(value: string): TierName | undefined {
    return [...this.keys.values()].find((k) => k.value === value)?.tier;
  }
}

function checkTier(tier: string): asserts tier is TierName {
  if (!isTierName(tier)) throw new Error(`Unknown tier ${tier}`);
}
