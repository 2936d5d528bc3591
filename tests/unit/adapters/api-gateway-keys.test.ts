import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsagePlansCommand,
  LimitExceededException,
  NotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-api-gateway';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiGatewayKeys } from '../../../lambdas/adapters/apigateway/api-gateway-keys.js';
import { GatewayKeyLimitReached } from '../../../lambdas/access/domain/gateway-keys.js';
import { InMemoryGatewayKeys } from '../../../local/gateway-keys.js';

const PLANS = [
  { id: 'plan-std', name: 'codex-dev-standard' },
  { id: 'plan-pro', name: 'codex-dev-pro' },
  { id: 'plan-ent', name: 'codex-dev-enterprise' },
  { id: 'plan-shared', name: 'codex-dev-shared' },
  { id: 'plan-prod-std', name: 'codex-prod-standard' },
];
const KEY = { id: 'key-1', name: 'codex-dev-reseller-r1', value: 'a'.repeat(40), enabled: true };

const meta = { $metadata: {} };

describe('ApiGatewayKeys', () => {
  let client: APIGatewayClient;
  let apigw: AwsClientStub<APIGatewayClient>;
  let keys: ApiGatewayKeys;

  beforeEach(() => {
    client = new APIGatewayClient({ region: 'us-east-1' });
    apigw = mockClient(client);
    apigw.on(GetUsagePlansCommand).resolves({ items: PLANS });
    apigw.on(GetUsagePlansCommand, { keyId: KEY.id }).resolves({ items: [] });
    apigw.on(GetApiKeysCommand).resolves({ items: [] });
    apigw.on(CreateApiKeyCommand).resolves({ id: KEY.id, name: KEY.name, value: KEY.value, enabled: true });
    apigw.on(CreateUsagePlanKeyCommand).resolves({ id: KEY.id, type: 'API_KEY' });
    keys = new ApiGatewayKeys(client, 'dev');
  });

  describe('issueFor', () => {
    it('creates an enabled key named after the stage and reseller, with a value API Gateway generates', async () => {
      await expect(keys.issueFor('r1', 'standard')).resolves.toEqual({ id: KEY.id, value: KEY.value });

      const creates = apigw.commandCalls(CreateApiKeyCommand);
      expect(creates).toHaveLength(1);
      expect(creates[0]!.args[0].input).toMatchObject({ name: 'codex-dev-reseller-r1', enabled: true });
      expect(creates[0]!.args[0].input.value).toBeUndefined();
    });

    it("puts the new key in the tier's usage plan of this stage only", async () => {
      await keys.issueFor('r1', 'pro');

      const joins = apigw.commandCalls(CreateUsagePlanKeyCommand);
      expect(joins.map((c) => c.args[0].input)).toEqual([{ usagePlanId: 'plan-pro', keyId: KEY.id, keyType: 'API_KEY' }]);
      expect(apigw.commandCalls(DeleteUsagePlanKeyCommand)).toHaveLength(0);
    });

    it('looks the name up first, with values, and ignores keys whose names only start the same', async () => {
      apigw.on(GetApiKeysCommand).resolves({ items: [{ ...KEY, id: 'key-10', name: 'codex-dev-reseller-r10' }] });

      await keys.issueFor('r1', 'standard');

      const lookups = apigw.commandCalls(GetApiKeysCommand);
      expect(lookups[0]!.args[0].input).toMatchObject({ nameQuery: 'codex-dev-reseller-r1', includeValues: true });
      expect(apigw.commandCalls(CreateApiKeyCommand)).toHaveLength(1);
    });

    it('reuses the key an interrupted earlier attempt created, found on a later page, instead of creating another', async () => {
      apigw
        .on(GetApiKeysCommand)
        .resolvesOnce({ items: [{ ...KEY, id: 'key-10', name: 'codex-dev-reseller-r10' }], position: 'page-2' })
        .resolves({ items: [KEY] });

      await expect(keys.issueFor('r1', 'standard')).resolves.toEqual({ id: KEY.id, value: KEY.value });

      expect(apigw.commandCalls(GetApiKeysCommand)[1]!.args[0].input.position).toBe('page-2');
      expect(apigw.commandCalls(CreateApiKeyCommand)).toHaveLength(0);
      expect(apigw.commandCalls(CreateUsagePlanKeyCommand)[0]!.args[0].input).toMatchObject({ usagePlanId: 'plan-std', keyId: KEY.id });
    });

    it('does nothing more when a retry finds the key already in its plan', async () => {
      apigw.on(GetApiKeysCommand).resolves({ items: [KEY] });
      apigw.on(GetUsagePlansCommand, { keyId: KEY.id }).resolves({ items: [PLANS[0]!] });

      await keys.issueFor('r1', 'standard');

      expect(apigw.commandCalls(CreateApiKeyCommand)).toHaveLength(0);
      expect(apigw.commandCalls(CreateUsagePlanKeyCommand)).toHaveLength(0);
    });

    it('takes a concurrent association of the same key to the same plan as done', async () => {
      apigw.on(CreateUsagePlanKeyCommand).rejects(new ConflictException({ message: 'Usage Plan Key already exists', ...meta }));

      await expect(keys.issueFor('r1', 'standard')).resolves.toEqual({ id: KEY.id, value: KEY.value });
    });

    it('reports the regional key limit as GatewayKeyLimitReached, so the reseller stays on the shared key', async () => {
      apigw.on(CreateApiKeyCommand).rejects(new LimitExceededException({ message: 'API key limit exceeded', ...meta }));

      await expect(keys.issueFor('r1', 'standard')).rejects.toBeInstanceOf(GatewayKeyLimitReached);
      expect(apigw.commandCalls(CreateUsagePlanKeyCommand)).toHaveLength(0);
    });

    it('lets other errors through unchanged, for the caller to retry', async () => {
      apigw.on(CreateApiKeyCommand).rejects(new TooManyRequestsException({ message: 'Too Many Requests', ...meta }));

      await expect(keys.issueFor('r1', 'standard')).rejects.toBeInstanceOf(TooManyRequestsException);
    });

    it('refuses an unknown tier before creating anything', async () => {
      await expect(keys.issueFor('r1', 'platinum')).rejects.toThrow(/Unknown tier platinum/);
      expect(apigw.commandCalls(CreateApiKeyCommand)).toHaveLength(0);
    });

    it('refuses when the stage has no usage plan for the tier, naming the plan it looked for', async () => {
      apigw.on(GetUsagePlansCommand).resolves({ items: PLANS.filter((p) => p.name !== 'codex-dev-pro') });

      await expect(keys.issueFor('r1', 'pro')).rejects.toThrow(/codex-dev-pro does not exist/);
      expect(apigw.commandCalls(CreateApiKeyCommand)).toHaveLength(0);
    });

    it('reads the list of usage plans, across pages, once per container', async () => {
      apigw
        .on(GetUsagePlansCommand)
        .resolvesOnce({ items: PLANS.slice(0, 2), position: 'next' })
        .resolves({ items: PLANS.slice(2) });

      await keys.issueFor('r1', 'enterprise');
      await keys.issueFor('r1', 'enterprise');

      const planListings = apigw.commandCalls(GetUsagePlansCommand).filter((c) => c.args[0].input.keyId === undefined);
      expect(planListings).toHaveLength(2);
      expect(apigw.commandCalls(CreateUsagePlanKeyCommand).every((c) => c.args[0].input.usagePlanId === 'plan-ent')).toBe(true);
    });
  });

  describe('moveToTier', () => {
    it('leaves the old tier plan before joining the new one (a key may be in one plan per stage)', async () => {
      apigw.on(GetUsagePlansCommand, { keyId: KEY.id }).resolves({ items: [PLANS[0]!, PLANS[4]!] });
      apigw.on(DeleteUsagePlanKeyCommand).resolves({});

      await keys.moveToTier(KEY.id, 'enterprise');

      const leaves = apigw.commandCalls(DeleteUsagePlanKeyCommand);
      const joins = apigw.commandCalls(CreateUsagePlanKeyCommand);
      // Only this stage's tier plans are touched: the prod plan the key is also in stays as it is.
      expect(leaves.map((c) => c.args[0].input)).toEqual([{ usagePlanId: 'plan-std', keyId: KEY.id }]);
      expect(joins.map((c) => c.args[0].input)).toEqual([{ usagePlanId: 'plan-ent', keyId: KEY.id, keyType: 'API_KEY' }]);
      const order = apigw.calls().map((c) => (c.args[0] as object).constructor.name);
      expect(order.indexOf('DeleteUsagePlanKeyCommand')).toBeLessThan(order.indexOf('CreateUsagePlanKeyCommand'));
    });

    it('finishes a move that was interrupted after leaving the old plan', async () => {
      apigw.on(DeleteUsagePlanKeyCommand).rejects(new NotFoundException({ message: 'Invalid Usage Plan Key', ...meta }));

      await keys.moveToTier(KEY.id, 'pro');

      expect(apigw.commandCalls(CreateUsagePlanKeyCommand)[0]!.args[0].input).toMatchObject({ usagePlanId: 'plan-pro' });
    });

    it('does nothing when the key is already in the tier plan', async () => {
      apigw.on(GetUsagePlansCommand, { keyId: KEY.id }).resolves({ items: [PLANS[1]!] });

      await keys.moveToTier(KEY.id, 'pro');

      expect(apigw.commandCalls(DeleteUsagePlanKeyCommand)).toHaveLength(0);
      expect(apigw.commandCalls(CreateUsagePlanKeyCommand)).toHaveLength(0);
    });
  });

  describe('revoke', () => {
    it('deletes the key, which frees its place under the regional limit', async () => {
      apigw.on(DeleteApiKeyCommand).resolves({});

      await keys.revoke(KEY.id);

      expect(apigw.commandCalls(DeleteApiKeyCommand)[0]!.args[0].input).toEqual({ apiKey: KEY.id });
    });

    it('takes a key that is already gone as revoked, and lets other errors through', async () => {
      apigw.on(DeleteApiKeyCommand).rejectsOnce(new NotFoundException({ message: 'Invalid API Key identifier specified', ...meta }));
      await expect(keys.revoke(KEY.id)).resolves.toBeUndefined();

      apigw.on(DeleteApiKeyCommand).rejects(new TooManyRequestsException({ message: 'Too Many Requests', ...meta }));
      await expect(keys.revoke(KEY.id)).rejects.toBeInstanceOf(TooManyRequestsException);
    });
  });
});

describe('InMemoryGatewayKeys', () => {
  it('issues one key per reseller, with a value of 40 characters, in the tier asked for', async () => {
    const keys = new InMemoryGatewayKeys();
    const first = await keys.issueFor('r1', 'standard');
    const again = await keys.issueFor('r1', 'standard');

    expect(again).toEqual(first);
    expect(first.value).toHaveLength(40);
    expect(keys.tierOfValue(first.value)).toBe('standard');
    expect((await keys.issueFor('r2', 'standard')).value).not.toBe(first.value);
  });

  it('moves a key between tiers and forgets it once revoked', async () => {
    const keys = new InMemoryGatewayKeys();
    const key = await keys.issueFor('r1', 'standard');

    await keys.moveToTier(key.id, 'enterprise');
    expect(keys.tierOfValue(key.value)).toBe('enterprise');

    await keys.revoke(key.id);
    expect(keys.tierOfValue(key.value)).toBeUndefined();
    await expect(keys.moveToTier(key.id, 'pro')).rejects.toThrow(/No gateway key/);
  });

  it('refuses new keys beyond its limit, as API Gateway does beyond 10,000 keys a region', async () => {
    const keys = new InMemoryGatewayKeys(1);
    await keys.issueFor('r1', 'standard');

    await expect(keys.issueFor('r2', 'standard')).rejects.toBeInstanceOf(GatewayKeyLimitReached);
    await expect(keys.issueFor('r1', 'pro')).resolves.toBeDefined();
  });

  it('refuses unknown tiers', async () => {
    await expect(new InMemoryGatewayKeys().issueFor('r1', 'platinum')).rejects.toThrow(/Unknown tier/);
  });
});
