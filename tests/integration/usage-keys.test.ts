// Resellers' API Gateway keys from the table's stream (assignUsageKeys) on DynamoDB Local, with the local stand-in
// for API Gateway: onboarding and pricing write the tier, the consumer issues and moves the key, and never twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { onboardReseller } from '../../lambdas/access/application/onboard-reseller.js';
import type { GatewayKeys } from '../../lambdas/access/domain/gateway-keys.js';
import { handler } from '../../lambdas/access/handlers/assign-usage-keys-handler.js';
import { DynamoUsageKeyProfiles } from '../../lambdas/adapters/dynamodb/usage-key-profiles.js';
import { DynamoUsersAdminStore } from '../../lambdas/adapters/dynamodb/users-admin-store.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { InMemoryGatewayKeys } from '../../local/gateway-keys.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';
import { createApiKeyManagement } from '../support/key-services.js';
import { profileRecord, streamEvent } from '../support/profile-stream.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
let table: TestTable;
let keys: InMemoryGatewayKeys;
let calls: { issueFor: number; moveToTier: number };
/** Runs before a call reaches the stand-in: lets a test change the profile while a key is being made. */
let beforeCall: (() => Promise<void>) | undefined;

/** The stand-in, counted. */
function countedKeys(): GatewayKeys {
  return {
    issueFor: async (resellerId, tier) => {
      calls.issueFor++;
      await beforeCall?.();
      return keys.issueFor(resellerId, tier);
    },
    moveToTier: async (keyId, tier) => {
      calls.moveToTier++;
      await beforeCall?.();
      return keys.moveToTier(keyId, tier);
    },
    revoke: (keyId) => keys.revoke(keyId),
  };
}

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint });
});

beforeEach(() => {
  keys = new InMemoryGatewayKeys();
  calls = { issueFor: 0, moveToTier: 0 };
  beforeCall = undefined;
  usePlatform({ gatewayKeys: countedKeys() });
});

afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

const profiles = () => new DynamoUsageKeyProfiles(table.db, table.tableName);
const directory = () => new DynamoUsersAdminStore(table.db, table.tableName);

async function onboard(id: string, tier = 'standard') {
  const keyManagement = createApiKeyManagement({
    db: table.db,
    tableName: table.tableName,
    secrets: new InMemorySecretStore({ pepper: 'test-pepper' }),
    pepperSecretId: 'pepper',
    tierNames: ['standard', 'pro', 'enterprise'],
  });
  return onboardReseller(
    { users: table.users, wallets: table.wallets, keyManagement, clock: { now: () => new Date() }, currency: 'USD' },
    { id, email: `${id}@example.com`, walletId: `w-${id}`, tier },
  );
}

const deliver = async (...records: Parameters<typeof streamEvent>) => (await handler(streamEvent(...records))) as DynamoDBBatchResponse;

describe('assignUsageKeys', () => {
  it("issues a new reseller's key in its tier's usage plan, which onboarding left pending", async () => {
    const onboarded = await onboard('uk-1', 'pro');
    expect(onboarded.usageKey).toBe('pending');
    expect((await table.users.get('uk-1'))?.apiGatewayKey).toBeUndefined();
    expect(calls.issueFor).toBe(0);

    expect(await deliver(profileRecord('uk-1', 'reseller', 'INSERT'))).toEqual({ batchItemFailures: [] });
    const key = (await table.users.get('uk-1'))!.apiGatewayKey!;
    expect(key).toMatchObject({ tier: 'pro' });
    expect(keys.tierOfValue(key.value)).toBe('pro');
    expect((await directory().getProfile('uk-1'))?.usageKey).toBe('ready');
  });

  it('moves the same key to the new tier when pricing changes the tier', async () => {
    await onboard('uk-2');
    await deliver(profileRecord('uk-2', 'reseller', 'INSERT'));
    const before = (await table.users.get('uk-2'))!.apiGatewayKey!;

    await directory().setTier('uk-2', 'enterprise', new Date().toISOString());
    expect((await directory().getProfile('uk-2'))?.usageKey).toBe('pending');
    await deliver(profileRecord('uk-2'));
    const after = (await table.users.get('uk-2'))!.apiGatewayKey!;
    expect(after).toEqual({ ...before, tier: 'enterprise' });
    expect(keys.tierOfValue(after.value)).toBe('enterprise');
    expect(calls).toEqual({ issueFor: 1, moveToTier: 1 });
  });

  it('does nothing for a profile in step, nor for customers', async () => {
    await onboard('uk-3');
    await deliver(profileRecord('uk-3', 'reseller', 'INSERT'));
    calls = { issueFor: 0, moveToTier: 0 };
    // Its own write comes back as a MODIFY record: nothing to do.
    await deliver(profileRecord('uk-3'), profileRecord('uk-3'));
    await table.users.put({ id: 'uk-customer', email: 'c@example.com', role: 'customer', walletId: 'w-c', createdAt: new Date().toISOString() });
    await deliver(profileRecord('uk-customer', 'customer'));
    expect(calls).toEqual({ issueFor: 0, moveToTier: 0 });
    expect((await table.users.get('uk-customer'))?.apiGatewayKey).toBeUndefined();
  });

  it('never issues a second key on redelivery, nor after an attempt that made the key but did not record it', async () => {
    await onboard('uk-4');
    // An earlier attempt made the key, then the function stopped before writing it back.
    const made = await keys.issueFor('uk-4', 'standard');
    await deliver(profileRecord('uk-4', 'reseller', 'INSERT'));
    // The same batch again (a retry of the mapping), and a stale record.
    await deliver(profileRecord('uk-4', 'reseller', 'INSERT'), profileRecord('uk-4'));
    const recorded = (await table.users.get('uk-4'))!.apiGatewayKey!;
    expect(recorded).toEqual({ id: made.id, value: made.value, tier: 'standard' });
    expect(calls.issueFor).toBe(1);
  });

  it("does not write a key over a tier changed meanwhile; the change's own record moves it", async () => {
    await onboard('uk-5');
    beforeCall = async () => {
      beforeCall = undefined;
      await directory().setTier('uk-5', 'pro', new Date().toISOString());
    };
    await deliver(profileRecord('uk-5', 'reseller', 'INSERT'));
    expect((await table.users.get('uk-5'))?.apiGatewayKey).toBeUndefined();
    await deliver(profileRecord('uk-5'));
    const key = (await table.users.get('uk-5'))!.apiGatewayKey!;
    expect(key.tier).toBe('pro');
    expect(keys.tierOfValue(key.value)).toBe('pro');
  });

  it("records a reseller past the region's key limit as unavailable, and tries again when its tier changes", async () => {
    usePlatform({ gatewayKeys: new InMemoryGatewayKeys(0) });
    await onboard('uk-6');
    await deliver(profileRecord('uk-6', 'reseller', 'INSERT'));
    expect((await directory().getProfile('uk-6'))?.usageKey).toBe('unavailable');
    usePlatform({ gatewayKeys: countedKeys() });
    await deliver(profileRecord('uk-6'));
    expect(calls.issueFor).toBe(0);
    await directory().setTier('uk-6', 'pro', new Date().toISOString());
    await deliver(profileRecord('uk-6'));
    expect((await table.users.get('uk-6'))?.apiGatewayKey?.tier).toBe('pro');
    expect((await directory().getProfile('uk-6'))?.usageKey).toBe('ready');
  });

  it('reports the failed record and every one after it, not taken, so the mapping retries from it in order', async () => {
    await onboard('uk-7');
    await onboard('uk-8');
    await onboard('uk-9');
    beforeCall = async () => {
      if (calls.issueFor === 2) throw new Error('TooManyRequestsException');
    };
    const [first, second, third] = [
      profileRecord('uk-7', 'reseller', 'INSERT'),
      profileRecord('uk-8', 'reseller', 'INSERT'),
      profileRecord('uk-9', 'reseller', 'INSERT'),
    ];
    const answer = await deliver(first, second, third);
    // The record after the failed one is reported too, not taken: the mapping resumes from the lowest.
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: second.dynamodb!.SequenceNumber }, { itemIdentifier: third.dynamodb!.SequenceNumber }] });
    expect(calls.issueFor).toBe(2);
    beforeCall = undefined;
    expect(await deliver(second, third)).toEqual({ batchItemFailures: [] });
    for (const id of ['uk-7', 'uk-8', 'uk-9']) expect((await profiles().get(id))?.apiGatewayKey?.tier).toBe('standard');
  });

  it('fails the invocation when the first record fails, so the mapping splits the batch and the records behind it go through', async () => {
    // Reported as a partial failure, a record that always fails would bring the whole batch back after every retry
    // and take the records behind it to the failure queue; a function error is what makes the mapping bisect.
    await onboard('uk-10');
    await onboard('uk-11');
    beforeCall = async () => {
      throw new Error('TooManyRequestsException');
    };
    const first = profileRecord('uk-10', 'reseller', 'INSERT');
    const second = profileRecord('uk-11', 'reseller', 'INSERT');
    await expect(deliver(first, second)).rejects.toThrow('All records failed processing');
    expect(calls.issueFor).toBe(1);
    beforeCall = undefined;
    expect(await deliver(second)).toEqual({ batchItemFailures: [] });
    expect((await profiles().get('uk-11'))?.apiGatewayKey?.tier).toBe('standard');
  });
});
