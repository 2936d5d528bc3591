import { describe, expect, it } from 'vitest';
import { readProviderStatus } from '../../lambdas/orders/domain/order-status.js';

describe('reading provider statuses', () => {
  it('understands every spelling upstream panels use', () => {
    const cases: [unknown, string][] = [
      ['Pending', 'Pending'],
      ['pending', 'Pending'],
      ['In progress', 'In progress'],
      ['in_progress', 'In progress'],
      ['IN PROGRESS', 'In progress'],
      ['inprogress', 'In progress'],
      ['Processing', 'Processing'],
      ['Completed', 'Completed'],
      ['complete', 'Completed'],
      ['Partial', 'Partial'],
      ['partially completed', 'Partial'],
      ['Canceled', 'Canceled'],
      ['Cancelled', 'Canceled'],
      ['Refunded', 'Canceled'],
      ['Fail', 'Canceled'],
      ['Error', 'Canceled'],
      [' completed ', 'Completed'],
      [2, 'Completed'],
      ['3', 'Partial'],
      [0, 'Pending'],
    ];
    for (const [raw, expected] of cases) expect(readProviderStatus(raw), String(raw)).toBe(expected);
  });

  it('returns nothing for what it cannot understand, rather than guessing', () => {
    for (const raw of ['weird', '', null, undefined, 99, {}, '1.5']) expect(readProviderStatus(raw)).toBeUndefined();
  });
});
