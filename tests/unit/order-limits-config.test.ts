// The order limits' configuration: off unless set, and refused at start when set to something that is not a limit.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/shared/config.js';

describe('order limit settings', () => {
  it('are off when unset or blank', () => {
    const config = loadConfig({ MAX_DAILY_SPEND: ' ', MAX_ACTIVE_ORDERS: '' });
    expect(config.MAX_DAILY_SPEND).toBeUndefined();
    expect(config.MAX_ACTIVE_ORDERS).toBeUndefined();
  });

  it('read a decimal daily spend and a whole number of active orders', () => {
    expect(loadConfig({ MAX_DAILY_SPEND: '250.50', MAX_ACTIVE_ORDERS: '500' })).toMatchObject({ MAX_DAILY_SPEND: '250.50', MAX_ACTIVE_ORDERS: 500 });
    expect(loadConfig({ MAX_DAILY_SPEND: '999999999.999999' }).MAX_DAILY_SPEND).toBe('999999999.999999');
  });

  it('refuse amounts and counts that cannot be limits', () => {
    for (const env of [
      { MAX_DAILY_SPEND: '0' },
      { MAX_DAILY_SPEND: '-5' },
      { MAX_DAILY_SPEND: '1.2345678' },
      { MAX_DAILY_SPEND: 'ten' },
      { MAX_DAILY_SPEND: '999999999999' },
      { MAX_DAILY_SPEND: '1000000000' },
    ]) {
      expect(() => loadConfig(env)).toThrow('MAX_DAILY_SPEND: invalid');
    }
    for (const env of [{ MAX_ACTIVE_ORDERS: '0' }, { MAX_ACTIVE_ORDERS: '2.5' }]) expect(() => loadConfig(env)).toThrow('MAX_ACTIVE_ORDERS: invalid');
  });
});
