// `npm run access` on DynamoDB Local: lifting a source block and reactivating a suspended key, as the running
// stack's access checks then see them.
import { beforeAll, describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../local/secret-store.js';
import type { ApiKeyManagement } from '../../lambdas/access/application/api-key-management.js';
import { AccessCommandError, type AccessTable, listAccessBlocks, reactivateKey, unblockAddress } from '../../local/access.js';
import { LOCAL_PEPPER } from '../../local/stack.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';
import { createApiKeyManagement, createResellerAccess } from '../support/key-services.js';

const PEPPER_ID = 'codex/api-key-pepper';
const secrets = new InMemorySecretStore({ [PEPPER_ID]: LOCAL_PEPPER });
const T0 = new Date('2030-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let table: TestTable;
let access: AccessTable;
let keys: ApiKeyManagement;
let owners = 0;

beforeAll(async () => {
  table = await createTestTable();
  access = { db: table.db, tableName: table.tableName };
  keys = createApiKeyManagement({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: PEPPER_ID, clock: { now: () => T0 } });
});

const checks = (options = {}) => createResellerAccess({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: PEPPER_ID }, options);

async function suspendedKey() {
  const ownerId = `local-owner-${++owners}`;
  const created = await keys.createApiKey(ownerId, `wallet-${ownerId}`);
  const guard = checks({ invalidRequestsBeforeSuspension: 3 });
  const result = await guard.check({ key: created.key, sourceIp: '192.0.2.50', now: at(1_000) });
  if (!result.ok) throw new Error(result.refusal);
  for (let i = 0; i < 3; i++) await guard.recordRejectedRequest({ caller: result.caller, sourceIp: '192.0.2.50', kind: 'invalid_request', now: at(1_000) });
  expect(await guard.check({ key: created.key, sourceIp: '192.0.2.50', now: at(2_000) })).toEqual({ ok: false, refusal: 'key_suspended' });
  return { ownerId, ...created };
}

describe('unblock', () => {
  it('ends a block and the count of invalid keys behind it, so the next bad key does not block again', async () => {
    const { key } = await keys.createApiKey('unblock-owner', 'wallet-unblock-owner');
    const guard = checks({ invalidKeysBeforeBlock: 3 });
    for (let i = 0; i < 3; i++) await guard.recordRejectedRequest({ sourceIp: '198.51.100.5', kind: 'invalid_key', now: at(1_000) });
    expect((await guard.check({ key, sourceIp: '198.51.100.5', now: at(2_000) })).ok).toBe(false);
    expect(await listAccessBlocks(access, at(2_000))).toContainEqual(expect.stringMatching(/^blocked +198\.51\.100\.5 until 2030-03-01T12:15:01\.000Z/));

    expect(await unblockAddress(access, '198.51.100.5', at(3_000))).toBe(
      'Unblocked 198.51.100.5 (it was blocked until 2030-03-01T12:15:01.000Z); the stack lets it in within 10 seconds.',
    );
    expect((await guard.check({ key, sourceIp: '198.51.100.5', now: at(12_000) })).ok).toBe(true);
    expect(await guard.recordRejectedRequest({ sourceIp: '198.51.100.5', kind: 'invalid_key', now: at(12_000) })).toBe('counted');
    expect(await listAccessBlocks(access, at(12_000))).not.toContainEqual(expect.stringContaining('198.51.100.5'));
  });

  it('unblocks an IPv6 address by its /64, as it was blocked', async () => {
    const guard = checks({ invalidKeysBeforeBlock: 1 });
    await guard.recordRejectedRequest({ sourceIp: '2001:db8:7:1::5', kind: 'invalid_key', now: at(1_000) });
    expect(await unblockAddress(access, '2001:db8:7:1:abcd::9', at(2_000))).toMatch(/^Unblocked 2001:db8:7:1::\/64 /);
  });

  it('says so when the address was not blocked, and refuses what is not an address', async () => {
    expect(await unblockAddress(access, '203.0.113.9', at(1_000))).toBe('203.0.113.9 was not blocked.');
    await expect(unblockAddress(access, 'not-an-ip')).rejects.toThrow(new AccessCommandError('"not-an-ip" is not an IPv4 or IPv6 address'));
  });
});

describe('reactivate', () => {
  it('finds a suspended key by its id, reactivates it with an audit entry, and clears its count of bad requests', async () => {
    const { key, record, ownerId } = await suspendedKey();
    expect(await listAccessBlocks(access, at(2_000))).toContainEqual(
      expect.stringContaining(`suspended ${record.prefix}… (${record.keyId}, owner ${ownerId})`),
    );
    expect(await reactivateKey(access, record.keyId, at(3_000))).toBe(
      `Reactivated ${record.prefix}… (${record.keyId}, owner ${ownerId}); the stack accepts it within 10 seconds.`,
    );
    expect((await keys.listApiKeys(ownerId))[0]).toMatchObject({ status: 'active' });
    const audits = (await table.allItems()).filter((i) => i.entity === 'audit' && i.subject === record.keyId && i.action === 'api_key.reactivated');
    expect(audits).toEqual([expect.objectContaining({ actor: 'local-admin', ownerId })]);
    // A container that saw it suspended lets it in after its 10 s, and one more bad request does not suspend it again.
    const guard = checks({ invalidRequestsBeforeSuspension: 3 });
    const result = await guard.check({ key, sourceIp: '192.0.2.50', now: at(4_000) });
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(await guard.recordRejectedRequest({ caller: result.caller, sourceIp: '192.0.2.50', kind: 'invalid_request', now: at(4_000) })).toBe('counted');
  });

  it('finds it by its shown prefix, the start of it, or the whole key', async () => {
    const first = await suspendedKey();
    expect(await reactivateKey(access, first.record.prefix, at(3_000))).toMatch(/^Reactivated /);
    const second = await suspendedKey();
    expect(await reactivateKey(access, second.key, at(3_000))).toMatch(/^Reactivated /);
    expect(await reactivateKey(access, second.key.slice(0, 16), at(3_000))).toMatch(/is already active\.$/);
  });

  it('refuses an unknown, ambiguous or revoked reference with a clear message', async () => {
    await expect(reactivateKey(access, 'kid_doesnotexist')).rejects.toThrow('No API key matches "kid_doesnotexist"');
    await expect(reactivateKey(access, 'cdx_')).rejects.toThrow('Give the key id');
    await expect(reactivateKey(access, `cdx_${'Z'.repeat(40)}`)).rejects.toThrow('No such API key on this stack');
    for (const end of ['1', '2']) await keys.createApiKey('twin-owner', 'wallet-twin-owner', { presetKey: `cdx_Amb1gu${'x'.repeat(32)}${end}` });
    const ambiguous = await reactivateKey(access, 'cdx_Amb1gu').catch((error: Error) => error.message);
    expect(ambiguous).toMatch(/^"cdx_Amb1gu" matches 2 keys; give the key id:\n {2}cdx_Amb1gu… \(kid_\w+, owner twin-owner\) active\n/);
    const { record, ownerId } = await suspendedKey();
    await keys.revokeApiKey(ownerId, record.keyId);
    await expect(reactivateKey(access, record.keyId)).rejects.toThrow('A revoked API key cannot be reactivated; create a new one');
  });
});
