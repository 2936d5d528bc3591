// API Gateway keys and usage plans behind the GatewayKeys port. The tier usage plans are found by the names CDK
// gives them (gatewayNames in access/domain/tiers.ts); each call is safe to repeat after a timeout or a crash.
import {
  type APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  LimitExceededException,
  NotFoundException,
  paginateGetApiKeys,
  paginateGetUsagePlans,
} from '@aws-sdk/client-api-gateway';
import { type GatewayKey, GatewayKeyLimitReached, type GatewayKeys } from '../../access/domain/gateway-keys.js';
import { gatewayNames, isTierName, TIER_NAMES, type TierName } from '../../access/domain/tiers.js';

const PAGE_SIZE = 500;

export class ApiGatewayKeys implements GatewayKeys {
  private readonly names: ReturnType<typeof gatewayNames>;
  private planIds: Promise<Map<TierName, string>> | undefined;

  constructor(
    private readonly client: APIGatewayClient,
    stage: string,
  ) {
    this.names = gatewayNames(stage);
  }

  async issueFor(resellerId: string, tier: string): Promise<GatewayKey> {
    await this.planIdOf(tier);
    const name = this.names.resellerKey(resellerId);
    // Names are not unique in API Gateway: finding the key an earlier attempt created is what makes a retry safe.
    const key = (await this.findKey(name)) ?? (await this.createKey(name, resellerId));
    await this.moveToTier(key.id, tier);
    return key;
  }

  async moveToTier(keyId: string, tier: string): Promise<void> {
    const target = await this.planIdOf(tier);
    const tierPlans = new Set((await this.tierPlanIds()).values());
    const current = new Set<string>();
    for await (const page of paginateGetUsagePlans({ client: this.client, pageSize: PAGE_SIZE }, { keyId })) {
      for (const plan of page.items ?? []) if (plan.id && tierPlans.has(plan.id)) current.add(plan.id);
    }
    // A key may sit in only one plan per API stage, so it leaves its old tier before joining the new one.
    for (const planId of current) {
      if (planId === target) continue;
      await this.client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId })).catch(ignore(NotFoundException));
    }
    if (!current.has(target)) {
      await this.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: target, keyId, keyType: 'API_KEY' })).catch(ignore(ConflictException));
    }
  }

  async revoke(keyId: string): Promise<void> {
    await this.client.send(new DeleteApiKeyCommand({ apiKey: keyId })).catch(ignore(NotFoundException));
  }

  private async findKey(name: string): Promise<GatewayKey | undefined> {
    // nameQuery matches by prefix: codex-dev-reseller-r1 also finds codex-dev-reseller-r10.
    for await (const page of paginateGetApiKeys({ client: this.client, pageSize: PAGE_SIZE }, { nameQuery: name, includeValues: true })) {
      const key = page.items?.find((item) => item.name === name && item.id && item.value);
      if (key) return { id: key.id!, value: key.value! };
    }
    return undefined;
  }

  private async createKey(name: string, resellerId: string): Promise<GatewayKey> {
    try {
      // The value is left to API Gateway, which generates 40 random characters.
      const created = await this.client.send(
        new CreateApiKeyCommand({ name, enabled: true, description: `Codex reseller ${resellerId}: throttling identity, not a credential` }),
      );
      if (!created.id || !created.value) throw new Error(`API Gateway created the key ${name} without an id or value`);
      return { id: created.id, value: created.value };
    } catch (error) {
      if (error instanceof LimitExceededException) throw new GatewayKeyLimitReached(resellerId);
      throw error;
    }
  }

  private async planIdOf(tier: string): Promise<string> {
    if (!isTierName(tier)) throw new Error(`Unknown tier ${tier}`);
    const id = (await this.tierPlanIds()).get(tier);
    if (!id) throw new Error(`The usage plan ${this.names.usagePlan(tier)} does not exist`);
    return id;
  }

  /** The stage's tier plans by tier, read once per container (a failed read is tried again next time). */
  private tierPlanIds(): Promise<Map<TierName, string>> {
    this.planIds ??= (async () => {
      const byName = new Map(TIER_NAMES.map((tier) => [this.names.usagePlan(tier), tier]));
      const ids = new Map<TierName, string>();
      for await (const page of paginateGetUsagePlans({ client: this.client, pageSize: PAGE_SIZE }, {})) {
        for (const plan of page.items ?? []) {
          const tier = plan.name ? byName.get(plan.name) : undefined;
          if (tier && plan.id) ids.set(tier, plan.id);
        }
      }
      return ids;
    })();
    this.planIds.catch(() => (this.planIds = undefined));
    return this.planIds;
  }
}

const ignore =
  (type: new (...args: never[]) => Error) =>
  (error: unknown): void => {
    if (!(error instanceof type)) throw error;
  };
