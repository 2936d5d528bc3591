// The daily spend counter when DynamoDB commits a write and its answer is lost (a 500 the SDK retries): the order's
// charge is counted once, so the day's limit neither tightens nor loosens, on the in-memory engine.
import { describe, expect, it } from 'vitest';
import { DynamoOrderLimits } from '../../../lambdas/adapters/dynamodb/order-limits.js';
import { micros } from '../../../lambdas/shared/money.js';
import { MEMORY_TABLE, memoryTable } from '../../support/memory-table.js';

const TABLE = MEMORY_TABLE;
const LIMIT = micros(10_000_000);
const order = { ownerId: 'u1', charge: micros(4_000_000), createdAt: '2026-12-01T10:00:00.000Z' };

async function limits() {
  const { store, db } = await memoryTable();
  let loseNext = false;
  store.injectFaults(({ operation }) => {
    if (!loseNext || operation === 'DescribeTable') return undefined;
    loseNext = false;
    return 'lost-answer';
  });
  const spent = () => (store.items(TABLE).find((item) => item.entity === 'daily-spend')?.count as number | undefined) ?? 0;
  return { limits: new DynamoOrderLimits(db, TABLE, { maxDailySpend: LIMIT, currency: 'USD' }), loseNextAnswer: () => (loseNext = true), spent };
}

describe('the daily spend counter under lost answers', () => {
  it('counts a reservation once when its answer was lost and the SDK retried it', async () => {
    const { limits: l, loseNextAnswer, spent } = await limits();
    loseNextAnswer();
    await l.reserve(order);
    expect(spent()).toBe(4_000_000);
    // A second order still fits under the limit (8 of 10), as it would without the lost answer.
    await l.reserve(order);
    expect(spent()).toBe(8_000_000);
    await expect(l.reserve(order)).rejects.toMatchObject({ code: 'daily_spend_limit' });
  });

  it('gives a reservation back once when the give-back answer was lost', async () => {
    const { limits: l, loseNextAnswer, spent } = await limits();
    await l.reserve(order);
    loseNextAnswer();
    await l.release(order);
    expect(spent()).toBe(0);
  });
});
