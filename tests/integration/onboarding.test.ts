// Onboarding a reseller on DynamoDB Local, with the local stand-in for API Gateway keys.
import { beforeAll, describe, expect, it } from 'vitest';
import { onboardReseller } from '../../lambdas/access/application/onboard-reseller.js';
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

function services(gatewayKeys: InMemoryGatewayKeys) {
  const keyManagement = createApiKeyManagement({
    db: table.db,
    tableName: table.tableName,
    secrets,
    pepperSecretId: 'pepper',
    tierNames: ['standard', 'pro', 'enterprise'],
  });
  return { users: table.users, wallets: table.wallets, keyManagement, gatewayKeys, clock, currency: 'USD' };
}

describe('onboarding a reseller', () => {
  it("opens the wallet, puts a gateway key in the tier's usage plan, and hands out a working API key once", async () => {
    const gatewayKeys = new InMemoryGatewayKeys();
    const result = await onboardReseller(services(gatewayKeys), { id: 'r1', email: 'r1@example.com', walletId: 'w-r1', tier: 'pro' });
    expect(result.hasGatewayKey).toBe(true);
    expect(gatewayKeys.tierOfValue(result.user.apiGatewayKey!.value)).toBe('pro');
    expect(await table.users.get('r1')).toMatchObject({ role: 'reseller', walletId: 'w-r1', apiGatewayKey: { tier: 'pro' } });
    expect(await table.wallets.getWallet('w-r1')).toMatchObject({ balance: 0, ownerId: 'r1' });
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: 'pepper' });
    expect(await access.check({ key: result.apiKey, sourceIp: '192.0.2.1' })).toMatchObject({ ok: true, caller: { ownerId: 'r1', walletId: 'w-r1' } });
  });

  it('can be repeated without a second gateway key or a changed account', async () => {
    const gatewayKeys = new InMemoryGatewayKeys();
    const first = await onboardReseller(services(gatewayKeys), { id: 'r2', email: 'r2@example.com', walletId: 'w-r2', tier: 'standard' });
    const again = await onboardReseller(services(gatewayKeys), { id: 'r2', email: 'r2@example.com', walletId: 'w-r2', tier: 'standard' });
    expect(again.user.apiGatewayKey).toEqual(first.user.apiGatewayKey);
    expect(again.user.createdAt).toBe(first.user.createdAt);
  });

  it("still onboards past the region's gateway key limit, throttled by the application only", async () => {
    const full = new InMemoryGatewayKeys(0);
    const result = await onboardReseller(services(full), { id: 'r3', email: 'r3@example.com', walletId: 'w-r3', tier: 'standard' });
    expect(result.hasGatewayKey).toBe(false);
    expect((await table.users.get('r3'))!.apiGatewayKey).toBeUndefined();
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: 'pepper' });
    expect((await access.check({ key: result.apiKey, sourceIp: '192.0.2.1' })).ok).toBe(true);
  });
});
