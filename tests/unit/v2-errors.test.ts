// The v2 wording of each refusal code: what panels substring-match.
import { describe, expect, it } from 'vitest';
import { cancelRefusalText, refillRefusalText } from '../../lambdas/reseller/v2-errors.js';

describe('v2 wording of refusals', () => {
  it('words a cancel refused by the provider with its reason, and without one', () => {
    expect(cancelRefusalText('provider_refused', 'Order is locked')).toBe('Cancel refused: Order is locked');
    expect(cancelRefusalText('provider_refused')).toBe('Cancel refused by the provider');
    expect(cancelRefusalText('unknown_order')).toBe('Incorrect order ID');
  });

  it("says how long the service's refill period was", () => {
    expect(refillRefusalText('refill_period_over', { refillDays: 14 })).toBe('Refill period of 14 days has ended');
    expect(refillRefusalText('provider_unconfirmed')).toBe('The provider did not confirm the refill; try again tomorrow');
  });
});
