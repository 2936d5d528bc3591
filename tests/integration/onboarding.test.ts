// Onboarding a reseller on DynamoDB Local, with the local stand-in for API Gateway keys: onboarding writes the tier,
// the usage key consumer (assignUsageKey, run here as the stream would) makes the key.
import { beforeAll, describe, expect, it } from 'vitest';
import { assignUsageKey } from '../../lambdas/access/application/assign-usage-key.js';
import { onboardReseller } from '../../lambdas/access/application/onboard-reseller.js';
import { DynamoUsageKeyProfiles } from '../../lambdas/adapters/dynamodb/usage-key-profiles.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { InMemoryGatewayKeys } from '../../local/gateway-keys.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';
import { createApiKeyManagement, createResellerAccess } from '../support/key-services.js';

let table: TestTable;
const secrets = new InMemorySecretStore({ pepper: 'test-pepper' });
const clock = { now: () => new Date() };

beforeAll(async () => {
  table = await createTestTable();
});

function services() {
  const keyManagement = createApiKeyManagement({
    db: table.db,
    tableName: table.tableName,
    secrets,
    pepperSecretId: 'pepper',
    tierNames: ['standard', 'pro', 'enterprise'],
  });
  return { users: table.users, wallets: table.wallets, keyManagement, clock, currency: 'USD' };
}

/** What the assignUsageKeys consumer does with the profile's stream record. */
const consume = (gatewayKeys: InMemoryGatewayKeys, userId: string) =>
  assignUsageKey({ profiles: new DynamoUsageKeyProfiles(table.db, table.tableName), gatewayKeys, clock }, userId);

describe('onboarding a reseller', () => {
  it("opens the wallet, puts a gateway key in the tier's usage plan, and hands out a working API key once", async () => {
    const gatewayKeys = new InMemoryGatewayKeys();
    const result = await onboardReseller(services(), { id: 'r1', email: 'r1@example.com', walletId: 'w-r1', tier: 'pro' });
    expect(result.usageKey).toBe('pending');
    expect(await consume(gatewayKeys, 'r1')).toBe('issued');
    const user = await table.users.get('r1');
    expect(user).toMatchObject({ role: 'reseller', walletId: 'w-r1', tier: 'pro', apiGatewayKey: { tier: 'pro' } });
    expect(gatewayKeys.tierOfValue(user!.apiGatewayKey!.value)).toBe('pro');
    expect(await table.wallets.getWallet('w-r1')).toMatchObject({ balance: 0, ownerId: 'r1' });
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: 'pepper' });
    expect(await access.check({ key: result.apiKey, sourceIp: '192.0.2.1' })).toMatchObject({ ok: true, caller: { ownerId: 'r1', walletId: 'w-r1' } });
  });

  it('can be repeated without a second gateway key or a changed account', async () => {
    const gatewayKeys = new InMemoryGatewayKeys();
    const first = await onboardReseller(services(), { id: 'r2', email: 'r2@example.com', walletId: 'w-r2', tier: 'standard' });
    await consume(gatewayKeys, 'r2');
    const key = (await table.users.get('r2'))!.apiGatewayKey;
    const again = await onboardReseller(services(), { id: 'r2', email: 'r2@example.com', walletId: 'w-r2', tier: 'standard' });
    expect(again.usageKey).toBe('ready');
    expect(await consume(gatewayKeys, 'r2')).toBe('in_step');
    expect((await table.users.get('r2'))!.apiGatewayKey).toEqual(key);
    expect(again.user.createdAt).toBe(first.user.createdAt);
  });

  it("still onboards past the region's gateway key limit, throttled by the application only", async () => {
    const full = new InMemoryGatewayKeys(0);
    const result = await onboardReseller(services(), { id: 'r3', email: 'r3@example.com', walletId: 'w-r3', tier: 'standard' });
    expect(await consume(full, 'r3')).toBe('unavailable');
    expect((await table.users.get('r3'))!.apiGatewayKey).toBeUndefined();
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: 'pepper' });
    expect((await access.check({ key: result.apiKey, sourceIp: '192.0.2.1' })).ok).toBe(true);
  });
});
