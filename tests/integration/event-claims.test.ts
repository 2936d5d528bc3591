// Claims of events by consumers on DynamoDB Local: once per event id and consumer, a dead holder's claim expires.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventClaims } from '../../lambdas/adapters/dynamodb/event-claims.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';

let table: TestTable;
let now = Date.parse('2026-12-01T10:00:00.000Z');
let claims: DynamoEventClaims;
beforeAll(async () => {
  table = await createTestTable();
  claims = new DynamoEventClaims(table.db, table.tableName, { now: () => new Date(now) });
});

describe('event claims', () => {
  it('let one of many concurrent deliveries of an event claim it, and none after it is done', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => claims.claim('email', 'evt_a', 60_000)));
    expect(answers.filter((a) => a === 'claimed')).toHaveLength(1);
    expect(answers.filter((a) => a === 'busy')).toHaveLength(7);
    await claims.done('email', 'evt_a');
    expect(await claims.claim('email', 'evt_a', 60_000)).toBe('done');
    now += 3_600_000;
    expect(await claims.claim('email', 'evt_a', 60_000)).toBe('done');
    // Each consumer claims for itself.
    expect(await claims.claim('webhooks', 'evt_a', 60_000)).toBe('claimed');
  });

  it('give a claim whose holder died back after its lease, and a released one at once', async () => {
    expect(await claims.claim('email', 'evt_b', 60_000)).toBe('claimed');
    now += 59_000;
    expect(await claims.claim('email', 'evt_b', 60_000)).toBe('busy');
    now += 2_000;
    expect(await claims.claim('email', 'evt_b', 60_000)).toBe('claimed');
    await claims.release('email', 'evt_b');
    expect(await claims.claim('email', 'evt_b', 60_000)).toBe('claimed');
    // Releasing what is done changes nothing.
    await claims.done('email', 'evt_b');
    await claims.release('email', 'evt_b');
    expect(await claims.claim('email', 'evt_b', 60_000)).toBe('done');
  });

  it('count the attempts given back as failed, and answer the count with the next claim in the same write', async () => {
    expect(await claims.claimAttempt('deliverWebhooks', 'evt_d', 60_000)).toEqual({ state: 'claimed', failures: 0 });
    await claims.release('deliverWebhooks', 'evt_d', { failed: true });
    expect(await claims.claimAttempt('deliverWebhooks', 'evt_d', 60_000)).toEqual({ state: 'claimed', failures: 1 });
    // Given back without a failed attempt (a crash before the send): not counted.
    await claims.release('deliverWebhooks', 'evt_d');
    expect(await claims.claimAttempt('deliverWebhooks', 'evt_d', 60_000)).toEqual({ state: 'claimed', failures: 1 });
    await claims.release('deliverWebhooks', 'evt_d', { failed: true });
    // A second release of the same claim (a retried call) finds it released: counted once.
    await claims.release('deliverWebhooks', 'evt_d', { failed: true });
    expect(await claims.claimAttempt('deliverWebhooks', 'evt_d', 60_000)).toEqual({ state: 'claimed', failures: 2 });
    expect(await claims.claimAttempt('deliverWebhooks', 'evt_d', 60_000)).toEqual({ state: 'busy', failures: 2 });
    await claims.done('deliverWebhooks', 'evt_d');
    await claims.release('deliverWebhooks', 'evt_d', { failed: true });
    expect(await claims.claimAttempt('deliverWebhooks', 'evt_d', 60_000)).toEqual({ state: 'done', failures: 2 });
  });

  it('expire with the table TTL 35 days after the claim, after the bus archive (30 days) could replay the event', async () => {
    await claims.claim('email', 'evt_c', 1_000);
    const item = (await table.allItems()).find((i) => i.pk === 'EVENT#evt_c');
    expect(item).toMatchObject({ sk: 'CLAIM#email', entity: 'event-claim', state: 'claimed' });
    expect(item!.expiresAt).toBe(Math.floor(now / 1000) + 35 * 24 * 3600);
  });
});
