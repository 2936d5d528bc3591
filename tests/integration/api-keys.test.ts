// Reseller API keys on DynamoDB Local: creation and storage, listing, revocation and suspension, IP allow-lists,
// per-minute and daily limits, and the abuse rules (blocked sources, suspended keys), with a driven clock.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoApiKeyStore, DynamoUserStore } from '../../lambdas/adapters/dynamodb/account-store.js';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { keys as tableKeys } from '../../lambdas/adapters/dynamodb/keys.js';
import { DynamoAccessCounters } from '../../lambdas/adapters/dynamodb/rate-counters.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { ApiKeyManagement } from '../../lambdas/access/application/api-key-management.js';
import { createApiKeyManagement, createResellerAccess } from '../support/key-services.js';
import { accessRefusalText } from '../../lambdas/reseller/v2-errors.js';
import { ResellerAccess, type ResellerAccessOptions, type ResellerCaller } from '../../lambdas/access/application/reseller-access.js';
import { generateApiKey, hashApiKey } from '../../lambdas/access/domain/api-keys.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

const PEPPER_ID = 'codex/api-key-pepper';
const secrets = new InMemorySecretStore({ [PEPPER_ID]: 'test-pepper' });
/** The start of a UTC minute, so tests know exactly which window a request falls in. */
const T0 = new Date('2030-01-15T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let table: TestTable;
let keys: ApiKeyManagement;
let ownerSeq = 0;

beforeAll(async () => {
  table = await createTestTable();
  keys = createApiKeyManagement({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: PEPPER_ID, clock: { now: () => T0 } });
});

/** One Lambda container's access checks. */
const container = (options?: ResellerAccessOptions, metrics?: RecordedMetrics) =>
  createResellerAccess({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: PEPPER_ID, ...(metrics ? { metrics } : {}) }, options);

/** A container whose key lookups can be counted. */
function countingContainer(options?: ResellerAccessOptions) {
  const store = new DynamoApiKeyStore(table.db, table.tableName);
  const lookups = vi.spyOn(store, 'findKey');
  const access = new ResellerAccess(
    { keys: store, counters: new DynamoAccessCounters(table.db, table.tableName), secrets, pepperSecretId: PEPPER_ID, metrics: new RecordedMetrics() },
    options,
  );
  return { access, lookups };
}

async function newKey(input: Parameters<ApiKeyManagement['createApiKey']>[2] = {}) {
  const ownerId = `reseller-${++ownerSeq}`;
  const created = await keys.createApiKey(ownerId, `wallet-${ownerId}`, input);
  return { ownerId, ...created };
}

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDomainError(error, 'invalid_request')) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.message;
}

const okCaller = (result: Awaited<ReturnType<ResellerAccess['check']>>): ResellerCaller => {
  if (!result.ok) throw new Error(`refused: ${result.refusal}`);
  return result.caller;
};

describe('creating a key', () => {
  it('returns the full key once and stores only its keyed hash', async () => {
    const { key, record, ownerId } = await newKey({ label: 'my panel' });
    expect(key).toMatch(/^cdx_[0-9A-Za-z]{40}$/);
    expect(record).toMatchObject({
      keyId: expect.stringMatching(/^kid_/),
      prefix: key.slice(0, 10),
      ownerId,
      walletId: `wallet-${ownerId}`,
      status: 'active',
      label: 'my panel',
      createdAt: T0.toISOString(),
    });
    expect(record).not.toHaveProperty('keyHash');
    expect(JSON.stringify(record)).not.toContain(key);

    const items = await table.allItems();
    const everything = JSON.stringify(items);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(10)); // nothing beyond the displayed prefix, anywhere
    const hash = hashApiKey(key, 'test-pepper');
    const mine = items.filter((i) => i.keyId === record.keyId);
    expect(mine.map((i) => `${i.pk} ${i.sk} ${i.entity}`).sort()).toEqual([
      `APIKEY#${hash} APIKEY api-key`,
      `USER#${ownerId} APIKEY#${record.keyId} api-key-listing`,
    ]);
    expect(items.filter((i) => i.entity === 'audit' && i.subject === record.keyId)).toEqual([
      expect.objectContaining({ pk: 'AUDIT#2030-01-15', actor: ownerId, action: 'api_key.created', ownerId }),
    ]);
  });

  it('sets the allow-list, limits and tier given, and refuses bad ones before writing anything', async () => {
    const { record } = await newKey({ allowedIps: ['203.0.113.7', '2001:db8::/32'], limits: { requestsPerMinute: 30 }, tier: 'pro' });
    expect(record).toMatchObject({ allowedIps: ['203.0.113.7', '2001:db8::/32'], limits: { requestsPerMinute: 30 }, tier: 'pro' });

    const before = await table.allItems();
    expect(await refusalOf(keys.createApiKey('o', 'w', { allowedIps: ['203.0.113.7', 'nope'] }))).toContain('"nope" is not an IP address or CIDR range');
    expect(await refusalOf(keys.createApiKey('o', 'w', { limits: { requestsPerMinute: 0 } }))).toContain('requestsPerMinute');
    expect(await refusalOf(keys.createApiKey('o', 'w', { presetKey: 'cdx_short' }))).toContain('preset key');
    expect(await table.allItems()).toEqual(before);
  });

  it("gets its owner's tier when none is asked for, and stops the owner's own keys at the cap of keys not revoked", async () => {
    const users = new DynamoUserStore(table.db, table.tableName);
    const capped = new ApiKeyManagement({
      keys: new DynamoApiKeyStore(table.db, table.tableName),
      secrets,
      pepperSecretId: PEPPER_ID,
      clock: { now: () => T0 },
      maxActiveKeysPerOwner: 3,
      ownerTier: async (ownerId) => (await users.get(ownerId))?.apiGatewayKey?.tier,
    });
    const owner = `tiered-${ownerSeq++}`;
    await users.put({
      id: owner,
      email: `${owner}@example.com`,
      role: 'reseller',
      walletId: `w-${owner}`,
      createdAt: T0.toISOString(),
      apiGatewayKey: { id: 'agk', value: 'v', tier: 'pro' },
    });
    const own = { selfService: true };
    expect((await capped.createApiKey(owner, `w-${owner}`, own)).record.tier).toBe('pro');
    expect((await capped.createApiKey(owner, `w-${owner}`, { ...own, tier: 'basic' })).record.tier).toBe('basic');
    const third = await capped.createApiKey(owner, `w-${owner}`, own);
    await capped.suspendApiKey(owner, third.record.keyId);
    // A suspended key still counts; a revoked one no longer does.
    await expect(capped.createApiKey(owner, `w-${owner}`, own)).rejects.toMatchObject({
      code: 'api_key_limit',
      message: expect.stringContaining('at most 3 API keys'),
    });
    // An operator (onboarding, the admin API) may still give the owner one more.
    const byOperator = await capped.createApiKey(owner, `w-${owner}`);
    await capped.revokeApiKey(owner, byOperator.record.keyId);
    await capped.revokeApiKey(owner, third.record.keyId);
    expect((await capped.createApiKey(owner, `w-${owner}`, own)).record.status).toBe('active');
    // A user record without a gateway key: no tier.
    const plain = `plain-${ownerSeq++}`;
    expect((await capped.createApiKey(plain, `w-${plain}`)).record.tier).toBeUndefined();
  });

  it('registers a preset key (seeding) once, however often it is seeded, and only for its owner', async () => {
    const preset = generateApiKey();
    const first = await keys.createApiKey('seeded', 'wallet-seeded', { label: 'demo', presetKey: preset });
    const again = await keys.createApiKey('seeded', 'wallet-seeded', { label: 'demo', presetKey: preset });
    expect(first.key).toBe(preset);
    expect(again).toEqual(first);
    expect(await keys.listApiKeys('seeded')).toHaveLength(1);
    expect(await refusalOf(keys.createApiKey('someone-else', 'w', { presetKey: preset }))).toContain('cannot be registered');
    expect(okCaller(await container().check({ key: preset, sourceIp: '192.0.2.1', now: T0 }))).toMatchObject({ ownerId: 'seeded', keyId: first.record.keyId });
  });

  it('takes over a key stored before keys had ids, when its owner seeds it again', async () => {
    const legacy = generateApiKey();
    await table.apiKeys.put({
      keyHash: hashApiKey(legacy, 'test-pepper'),
      prefix: legacy.slice(0, 10),
      ownerId: 'old-timer',
      walletId: 'w-old',
      status: 'active',
      createdAt: T0.toISOString(),
    });
    const { record } = await keys.createApiKey('old-timer', 'w-old', { presetKey: legacy });
    expect((await keys.listApiKeys('old-timer')).map((k) => k.keyId)).toEqual([record.keyId]);
    expect(okCaller(await container().check({ key: legacy, sourceIp: '192.0.2.1', now: T0 })).keyId).toBe(record.keyId);
  });
});

describe('listing keys', () => {
  it('shows each key by its prefix, never the key or its hash', async () => {
    const ownerId = 'lister';
    const a = await keys.createApiKey(ownerId, 'w-lister', { label: 'a' });
    const b = await keys.createApiKey(ownerId, 'w-lister', { label: 'b' });
    const listed = await keys.listApiKeys(ownerId);
    expect(listed.map((k) => [k.label, k.prefix, k.status])).toEqual(
      expect.arrayContaining([
        ['a', a.key.slice(0, 10), 'active'],
        ['b', b.key.slice(0, 10), 'active'],
      ]),
    );
    expect(listed).toHaveLength(2);
    const text = JSON.stringify(listed);
    for (const key of [a.key, b.key]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hashApiKey(key, 'test-pepper'));
    }
    expect(listed.every((k) => !('keyHash' in k))).toBe(true);
    expect(await keys.listApiKeys('nobody')).toEqual([]);
  });
});

describe('checking a request', () => {
  it('lets a new key in at once and names the caller with its key id and limits', async () => {
    const { key, record, ownerId } = await newKey();
    const caller = okCaller(await container().check({ key, sourceIp: '192.0.2.10', now: T0 }));
    expect(caller).toEqual({
      ownerId,
      walletId: `wallet-${ownerId}`,
      keyPrefix: key.slice(0, 10),
      keyId: record.keyId,
      limits: { requestsPerMinute: 120, dailyOrderQuota: 10_000 },
    });
  });

  it('answers Invalid API key to every unknown key, whatever it looks like, after exactly one hash and one lookup', async () => {
    const pepperReads = vi.spyOn(secrets, 'get');
    const shapes = [undefined, '', 'x', 'cdx_', generateApiKey(), 'a'.repeat(10_000), 'cdx_ünïcødé', "' OR 1=1 --"];
    for (const key of shapes) {
      const { access, lookups } = countingContainer();
      pepperReads.mockClear();
      expect(await access.check({ key, sourceIp: '192.0.2.11', now: T0 })).toEqual({ ok: false, refusal: 'invalid_key' });
      expect(lookups).toHaveBeenCalledTimes(1);
      expect(pepperReads).toHaveBeenCalledTimes(1);
    }
    // Unknown keys are remembered for a minute like known ones, then looked up again.
    const { access, lookups } = countingContainer();
    await access.check({ key: 'x', sourceIp: '192.0.2.11', now: T0 });
    lookups.mockClear();
    await access.check({ key: 'x', sourceIp: '192.0.2.11', now: at(59_000) });
    expect(lookups).toHaveBeenCalledTimes(0);
    await access.check({ key: 'x', sourceIp: '192.0.2.11', now: at(60_000) });
    expect(lookups).toHaveBeenCalledTimes(1);
    pepperReads.mockRestore();
  });

  it('refuses a revoked key: at once in a new container, within a minute in one that cached it', async () => {
    const { key, record, ownerId } = await newKey();
    const warm = container();
    okCaller(await warm.check({ key, sourceIp: '192.0.2.12', now: T0 }));
    const revoked = await keys.revokeApiKey(ownerId, record.keyId);
    expect(revoked).toMatchObject({ status: 'revoked', keyId: record.keyId });
    expect(await container().check({ key, sourceIp: '192.0.2.12', now: T0 })).toEqual({ ok: false, refusal: 'invalid_key' });
    expect(await warm.check({ key, sourceIp: '192.0.2.12', now: at(60_000) })).toEqual({ ok: false, refusal: 'invalid_key' });
    // Revoking again changes nothing; a revoked key stays revoked.
    expect(await keys.revokeApiKey(ownerId, record.keyId)).toMatchObject({ status: 'revoked' });
    expect(await refusalOf(keys.reactivateApiKey(ownerId, record.keyId))).toContain('cannot be reactivated');
    expect(await refusalOf(keys.revokeApiKey('someone-else', record.keyId))).toContain('No API key');
  });

  it('tells the reseller a suspended key is suspended, and lets it in again once reactivated', async () => {
    const { key, record, ownerId } = await newKey();
    await keys.suspendApiKey(ownerId, record.keyId, { reason: 'unpaid invoice', actor: 'admin-1' });
    expect(await container().check({ key, sourceIp: '192.0.2.13', now: T0 })).toEqual({ ok: false, refusal: 'key_suspended' });
    expect((await keys.listApiKeys(ownerId))[0]).toMatchObject({ status: 'suspended', statusReason: 'unpaid invoice' });
    const active = await keys.reactivateApiKey(ownerId, record.keyId);
    expect(active.status).toBe('active');
    expect(active).not.toHaveProperty('statusReason');
    okCaller(await container().check({ key, sourceIp: '192.0.2.13', now: T0 }));
    const audit = (await table.allItems()).filter((i) => i.entity === 'audit' && i.subject === record.keyId).map((i) => [i.action, i.actor]);
    expect(audit).toEqual(
      expect.arrayContaining([
        ['api_key.suspended', 'admin-1'],
        ['api_key.reactivated', ownerId],
      ]),
    );
  });
});

describe('IP allow-lists', () => {
  it('let in only the listed IPv4 addresses and ranges', async () => {
    const { key, record, ownerId } = await newKey();
    await keys.setIpAllowList(ownerId, record.keyId, ['203.0.113.7', '198.51.100.0/24']);
    const access = container();
    for (const ip of ['203.0.113.7', '198.51.100.1', '198.51.100.254', '::ffff:198.51.100.9'])
      expect((await access.check({ key, sourceIp: ip, now: T0 })).ok, ip).toBe(true);
    for (const ip of ['203.0.113.8', '198.51.101.1', '2001:db8::1'])
      expect(await access.check({ key, sourceIp: ip, now: T0 }), ip).toEqual({ ok: false, refusal: 'ip_not_allowed' });
  });

  it('let in only the listed IPv6 addresses and ranges', async () => {
    const { key, record, ownerId } = await newKey();
    await keys.setIpAllowList(ownerId, record.keyId, ['2001:db8::1', '2001:db8:abcd::/48']);
    const access = container();
    for (const ip of ['2001:db8::1', '2001:0db8:0:0:0:0:0:0001', '2001:db8:abcd:1::5'])
      expect((await access.check({ key, sourceIp: ip, now: T0 })).ok, ip).toBe(true);
    for (const ip of ['2001:db8::2', '2001:db8:abce::1', '203.0.113.7'])
      expect(await access.check({ key, sourceIp: ip, now: T0 }), ip).toEqual({ ok: false, refusal: 'ip_not_allowed' });
  });

  it('refuse a list with a bad entry, naming it, and keep the list as it was', async () => {
    const { record, ownerId } = await newKey({ allowedIps: ['203.0.113.7'] });
    const message = await refusalOf(keys.setIpAllowList(ownerId, record.keyId, ['198.51.100.0/24', '10.0.0.5/8', 'localhost']));
    expect(message).toContain('"10.0.0.5/8" is not the start of its range (did you mean "10.0.0.0/8"?)');
    expect(message).toContain('"localhost" is not an IP address or CIDR range');
    expect((await keys.listApiKeys(ownerId))[0]!.allowedIps).toEqual(['203.0.113.7']);
  });

  it('let every address in again when the list is emptied', async () => {
    const { key, record, ownerId } = await newKey({ allowedIps: ['203.0.113.7'] });
    expect(await container().check({ key, sourceIp: '192.0.2.50', now: T0 })).toEqual({ ok: false, refusal: 'ip_not_allowed' });
    const cleared = await keys.setIpAllowList(ownerId, record.keyId, []);
    expect(cleared).not.toHaveProperty('allowedIps');
    expect((await container().check({ key, sourceIp: '192.0.2.50', now: T0 })).ok).toBe(true);
  });
});

describe('rate limits', () => {
  it('answers Too many requests to request 121 within a minute, and lets the key in again the next minute', async () => {
    const { key } = await newKey();
    const access = container();
    const first = await Promise.all(Array.from({ length: 120 }, (_, i) => access.check({ key, sourceIp: '192.0.2.20', now: at(i * 400) })));
    expect(first.every((r) => r.ok)).toBe(true);
    expect(await access.check({ key, sourceIp: '192.0.2.20', now: at(59_999) })).toEqual({ ok: false, refusal: 'rate_limited' });
    expect((await access.check({ key, sourceIp: '192.0.2.20', now: at(60_000) })).ok).toBe(true);
  });

  it("counts across containers, and takes the key's own limit over its tier's and the default", async () => {
    const tiers = { pro: { requestsPerMinute: 4 } };
    const own = await newKey({ limits: { requestsPerMinute: 2 }, tier: 'pro' });
    const tiered = await newKey({ tier: 'pro' });
    const results = async (key: string) => {
      const out: boolean[] = [];
      for (let i = 0; i < 6; i++) out.push((await container({ tiers }).check({ key, sourceIp: '192.0.2.21', now: at(1_000 + i) })).ok);
      return out;
    };
    expect(await results(own.key)).toEqual([true, true, false, false, false, false]);
    expect(await results(tiered.key)).toEqual([true, true, true, true, false, false]);
  });

  it('counts requests refused for a suspended key, a spent rate limit or a spent daily quota as API key blocks', async () => {
    const metrics = new RecordedMetrics();
    const limited = await newKey({ limits: { requestsPerMinute: 1, dailyOrderQuota: 1 } });
    const access = container({}, metrics);
    const caller = okCaller(await access.check({ key: limited.key, sourceIp: '192.0.2.23', now: at(1_000) }));
    expect(await access.check({ key: limited.key, sourceIp: '192.0.2.23', now: at(2_000) })).toMatchObject({ refusal: 'rate_limited' });
    expect(await access.consumeDailyOrderQuota(caller, at(3_000))).toBe(true);
    expect(await access.consumeDailyOrderQuota(caller, at(4_000))).toBe(false);
    const suspended = await newKey();
    await keys.suspendApiKey(suspended.ownerId, suspended.record.keyId, { reason: 'unpaid invoice', actor: 'admin-1' });
    expect(await access.check({ key: suspended.key, sourceIp: '192.0.2.23', now: at(5_000) })).toMatchObject({ refusal: 'key_suspended' });
    // Not a key's block: a key nobody issued.
    expect(await access.check({ key: 'sk_live_nobody', sourceIp: '192.0.2.23', now: at(6_000) })).toMatchObject({ refusal: 'invalid_key' });
    expect(metrics.sum('ApiKeyBlocks')).toBe(3);
  });

  it('stops orders past the daily quota until the next UTC day', async () => {
    const { key } = await newKey({ limits: { dailyOrderQuota: 3 } });
    const access = container();
    const caller = okCaller(await access.check({ key, sourceIp: '192.0.2.22', now: T0 }));
    expect(caller.limits.dailyOrderQuota).toBe(3);
    const today = await Promise.all(Array.from({ length: 5 }, () => access.consumeDailyOrderQuota(caller, at(3_600_000))));
    expect(today.filter(Boolean)).toHaveLength(3);
    expect(await access.consumeDailyOrderQuota(caller, new Date('2030-01-15T23:59:59.999Z'))).toBe(false);
    expect(await access.consumeDailyOrderQuota(caller, new Date('2030-01-16T00:00:00.000Z'))).toBe(true);
  });

  it('lets a key use its whole daily quota however many containers serve it, and gives back returned orders', async () => {
    const { key } = await newKey({ limits: { dailyOrderQuota: 4 } });
    const containers = Array.from({ length: 6 }, () => container());
    const caller = okCaller(await containers[0]!.check({ key, sourceIp: '192.0.2.25', now: T0 }));
    const when = at(7_200_000);
    const results = [];
    for (const access of containers) results.push(await access.consumeDailyOrderQuota(caller, when));
    expect(results).toEqual([true, true, true, true, false, false]);
    await containers[0]!.returnDailyOrder(caller, when);
    expect(await containers[5]!.consumeDailyOrderQuota(caller, when)).toBe(true);
    expect(await containers[4]!.consumeDailyOrderQuota(caller, when)).toBe(false);
  });

  it('expires counters through the table TTL a little after their window', async () => {
    const { key, record } = await newKey();
    await container().check({ key, sourceIp: '192.0.2.23', now: at(30_000) });
    const counter = (await table.allItems()).find((i) => i.pk === `RATE#${record.keyId}#${T0.getTime() / 60_000}`);
    // A container leases a slice of the minute (a tenth of 120) instead of writing once per request.
    expect(counter).toMatchObject({ sk: 'RATE', count: 10, expiresAt: T0.getTime() / 1000 + 120 });
  });

  it('holds the limit across containers to within one leased slice each, with a write per slice, not per request', async () => {
    const { key, record } = await newKey();
    const containers = [container(), container(), container()];
    const results = await Promise.all(
      containers.flatMap((access) => Array.from({ length: 60 }, () => access.check({ key, sourceIp: '192.0.2.24', now: at(40_000) }))),
    );
    const allowed = results.filter((r) => r.ok).length;
    expect(allowed).toBeLessThanOrEqual(120);
    expect(allowed).toBeGreaterThanOrEqual(120 - 3 * 10);
    const counter = (await table.allItems()).find((i) => i.pk === `RATE#${record.keyId}#${T0.getTime() / 60_000}`);
    expect(Number(counter!.count)).toBeLessThanOrEqual(180 + 30);
    expect(Number(counter!.count) / 10).toBeLessThan(results.length / 5);
  });
});

describe('abuse', () => {
  it('blocks a source for 15 minutes after 20 invalid keys within a minute, without looking keys up', async () => {
    const { key } = await newKey();
    const { access, lookups } = countingContainer();
    const attacker = '198.51.100.66';
    for (let i = 0; i < 19; i++) expect(await access.recordRejectedRequest({ sourceIp: attacker, kind: 'invalid_key', now: at(i * 1000) })).toBe('counted');
    expect((await access.check({ key, sourceIp: attacker, now: at(20_000) })).ok).toBe(true);
    expect(await access.recordRejectedRequest({ sourceIp: attacker, kind: 'invalid_key', now: at(21_000) })).toBe('source_blocked');

    lookups.mockClear();
    // Blocked, and told so with the end of the block: not the rate limit's answer.
    const blocked = { ok: false, refusal: 'source_blocked', blockedUntil: at(21_000 + 15 * 60_000) };
    expect(await access.check({ key, sourceIp: attacker, now: at(22_000) })).toEqual(blocked);
    expect(await access.check({ key: 'cdx_guess', sourceIp: attacker, now: at(23_000) })).toEqual(blocked);
    expect(accessRefusalText('source_blocked', blocked.blockedUntil)).toBe('Too many invalid API keys from your address; blocked until 2030-01-15T10:15:21Z');
    expect(lookups).not.toHaveBeenCalled();
    expect((await access.check({ key, sourceIp: '198.51.100.67', now: at(22_000) })).ok).toBe(true);
    // Another container reads the block from the table.
    expect(await container().check({ key, sourceIp: attacker, now: at(30_000) })).toEqual(blocked);
    expect((await access.check({ key, sourceIp: attacker, now: at(21_000 + 15 * 60_000) })).ok).toBe(true);
  });

  it('rounds the end of a block up to the second, so a client waiting until then is let in', async () => {
    const { key } = await newKey();
    const access = container({ invalidKeysBeforeBlock: 1 });
    await access.recordRejectedRequest({ sourceIp: '198.51.100.80', kind: 'invalid_key', now: at(1_250) });
    const refused = await access.check({ key, sourceIp: '198.51.100.80', now: at(2_000) });
    expect(refused).toMatchObject({ ok: false, refusal: 'source_blocked' });
    expect(accessRefusalText('source_blocked', (refused as { blockedUntil: Date }).blockedUntil)).toBe(
      'Too many invalid API keys from your address; blocked until 2030-01-15T10:15:02Z',
    );
    expect((await access.check({ key, sourceIp: '198.51.100.80', now: at(902_000) })).ok).toBe(true);
  });

  it('lets a source in again within seconds once its block is lifted, in a container that saw the block', async () => {
    const { key } = await newKey();
    const access = container({ invalidKeysBeforeBlock: 1 });
    const source = '198.51.100.81';
    expect(await access.recordRejectedRequest({ sourceIp: source, kind: 'invalid_key', now: at(1_000) })).toBe('source_blocked');
    expect((await access.check({ key, sourceIp: source, now: at(2_000) })).ok).toBe(false);
    // Lifted as `npm run access -- unblock` does: the block item goes.
    await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: tableKeys.sourceBlock(source) }));
    expect((await access.check({ key, sourceIp: source, now: at(5_000) })).ok).toBe(false);
    expect((await access.check({ key, sourceIp: source, now: at(11_001) })).ok).toBe(true);
  });

  it('lets a reactivated key in within seconds, in a container that saw it suspended', async () => {
    const { key, record, ownerId } = await newKey();
    const access = container({ invalidRequestsBeforeSuspension: 1 });
    const caller = okCaller(await access.check({ key, sourceIp: '192.0.2.33', now: at(1_000) }));
    expect(await access.recordRejectedRequest({ caller, sourceIp: '192.0.2.33', kind: 'invalid_request', now: at(1_000) })).toBe('key_suspended');
    expect(await access.check({ key, sourceIp: '192.0.2.33', now: at(2_000) })).toEqual({ ok: false, refusal: 'key_suspended' });
    // Another container, which reads the key as suspended and keeps that only briefly.
    const other = container();
    expect(await other.check({ key, sourceIp: '192.0.2.33', now: at(2_000) })).toEqual({ ok: false, refusal: 'key_suspended' });
    await keys.reactivateApiKey(ownerId, record.keyId, { actor: 'admin-1' });
    for (const each of [access, other]) {
      expect((await each.check({ key, sourceIp: '192.0.2.33', now: at(5_000) })).ok).toBe(false);
      expect((await each.check({ key, sourceIp: '192.0.2.33', now: at(12_001) })).ok).toBe(true);
    }
  });

  it('counts invalid keys per minute, so a slow trickle is not blocked', async () => {
    const access = container();
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await access.recordRejectedRequest({ sourceIp: '198.51.100.70', kind: 'invalid_key', now: at(i * 4_000) }));
    expect(results).not.toContain('source_blocked');
  });

  it('blocks an IPv6 guesser by its /64, however it varies the rest of the address', async () => {
    const { key } = await newKey();
    const access = container();
    const outcomes = [];
    for (let i = 1; i <= 20; i++)
      outcomes.push(await access.recordRejectedRequest({ sourceIp: `2001:db8:66:1::${i.toString(16)}`, kind: 'invalid_key', now: at(i * 100) }));
    expect(outcomes.at(-1)).toBe('source_blocked');
    expect(await access.check({ key, sourceIp: '2001:db8:66:1:ffff::1', now: at(5_000) })).toMatchObject({
      ok: false,
      refusal: 'source_blocked',
      blockedUntil: at(100 * 20 + 15 * 60_000),
    });
    expect((await access.check({ key, sourceIp: '2001:db8:66:2::1', now: at(5_000) })).ok).toBe(true);
  });

  it('suspends a key after 60 invalid requests within a minute, once, with an audit entry', async () => {
    const { key, record, ownerId } = await newKey();
    const access = container();
    const caller = okCaller(await access.check({ key, sourceIp: '192.0.2.30', now: T0 }));
    const early = [];
    for (let i = 0; i < 59; i++) early.push(await access.recordRejectedRequest({ caller, sourceIp: '192.0.2.30', kind: 'invalid_request', now: at(i * 500) }));
    expect(early.every((o) => o === 'counted')).toBe(true);
    expect((await access.check({ key, sourceIp: '192.0.2.30', now: at(30_000) })).ok).toBe(true);

    // The burst goes on from several containers at once: exactly one of them suspends the key.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => container().recordRejectedRequest({ caller, sourceIp: '192.0.2.30', kind: 'invalid_request', now: at(40_000) })),
    );
    expect(burst.filter((o) => o === 'key_suspended')).toHaveLength(1);
    await access.recordRejectedRequest({ caller, sourceIp: '192.0.2.30', kind: 'invalid_request', now: at(41_000) });
    expect(await access.check({ key, sourceIp: '192.0.2.30', now: at(42_000) })).toEqual({ ok: false, refusal: 'key_suspended' });
    expect(await container().check({ key, sourceIp: '192.0.2.30', now: at(42_000) })).toEqual({ ok: false, refusal: 'key_suspended' });

    const audits = (await table.allItems()).filter((i) => i.entity === 'audit' && i.subject === record.keyId && i.actor === 'system');
    expect(audits).toEqual([
      expect.objectContaining({
        pk: 'AUDIT#2030-01-15',
        sk: expect.stringMatching(/^2030-01-15T10:00:40\.000Z#[0-9a-f]+$/),
        actor: 'system',
        action: 'api_key.suspended',
        subject: record.keyId,
        ownerId,
        reason: expect.stringContaining('invalid requests within a minute'),
        at: at(40_000).toISOString(),
      }),
    ]);
    expect((await keys.listApiKeys(ownerId))[0]).toMatchObject({ status: 'suspended', statusReason: expect.stringContaining('invalid requests') });
  });

  it('takes its thresholds from the options', async () => {
    const { key, ownerId } = await newKey();
    const access = container({ invalidKeysBeforeBlock: 3, blockMinutes: 1, invalidRequestsBeforeSuspension: 2 });
    const caller = okCaller(await access.check({ key, sourceIp: '192.0.2.31', now: T0 }));
    expect(await access.recordRejectedRequest({ caller, sourceIp: '192.0.2.31', kind: 'invalid_request', now: T0 })).toBe('counted');
    expect(await access.recordRejectedRequest({ caller, sourceIp: '192.0.2.31', kind: 'invalid_request', now: T0 })).toBe('key_suspended');
    for (let i = 0; i < 2; i++) await access.recordRejectedRequest({ sourceIp: '192.0.2.32', kind: 'invalid_key', now: T0 });
    expect(await access.recordRejectedRequest({ sourceIp: '192.0.2.32', kind: 'invalid_key', now: T0 })).toBe('source_blocked');
    expect((await access.check({ key, sourceIp: '192.0.2.32', now: at(61_000) })).ok).toBe(false);
    expect((await keys.listApiKeys(ownerId))[0]!.status).toBe('suspended');
  });
});

describe('last use', () => {
  it('is written at most once a minute per key, across containers', async () => {
    const { key, ownerId } = await newKey();
    const lastUsed = async () => (await keys.listApiKeys(ownerId))[0]!.lastUsedAt;
    expect(await lastUsed()).toBeUndefined();
    const access = container();
    const send = vi.spyOn(table.db, 'send');
    const touches = () =>
      send.mock.calls.filter(([command]) => (command.input as { UpdateExpression?: string }).UpdateExpression === 'SET lastUsedAt = :at').length;

    await access.check({ key, sourceIp: '192.0.2.40', now: at(1_000) });
    expect(await lastUsed()).toBe(at(1_000).toISOString());
    for (let i = 2; i < 30; i++) await access.check({ key, sourceIp: '192.0.2.40', now: at(i * 2_000) });
    expect(touches()).toBe(1);
    await container().check({ key, sourceIp: '192.0.2.40', now: at(50_000) });
    expect(await lastUsed()).toBe(at(1_000).toISOString());

    await access.check({ key, sourceIp: '192.0.2.40', now: at(61_000) });
    expect(await lastUsed()).toBe(at(61_000).toISOString());
    send.mockRestore();
  });
});
