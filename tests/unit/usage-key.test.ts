// What brings a reseller's API Gateway key in step with its profile's tier (pure: no table, no gateway).
import { describe, expect, it } from 'vitest';
import { usageKeyState, usageKeyStep } from '../../lambdas/access/domain/usage-key.js';

const key = (tier: string) => ({ id: 'k1', tier });

describe("a reseller's usage key", () => {
  it('is issued when missing, moved when in another tier, and left alone when in step', () => {
    expect(usageKeyStep({ role: 'reseller', tier: 'pro' })).toEqual({ kind: 'issue', tier: 'pro' });
    expect(usageKeyStep({ role: 'reseller', tier: 'pro', apiGatewayKey: key('standard') })).toEqual({ kind: 'move', keyId: 'k1', tier: 'pro' });
    expect(usageKeyStep({ role: 'reseller', tier: 'pro', apiGatewayKey: key('pro') })).toEqual({ kind: 'none' });
    expect(usageKeyState({ role: 'reseller', tier: 'pro' })).toBe('pending');
    expect(usageKeyState({ role: 'reseller', tier: 'pro', apiGatewayKey: key('standard') })).toBe('pending');
    expect(usageKeyState({ role: 'reseller', tier: 'pro', apiGatewayKey: key('pro') })).toBe('ready');
  });

  it("follows the key's tier on profiles from before the tier was kept, and concerns resellers only", () => {
    expect(usageKeyStep({ role: 'reseller', apiGatewayKey: key('standard') })).toEqual({ kind: 'none' });
    expect(usageKeyState({ role: 'reseller', apiGatewayKey: key('standard') })).toBe('ready');
    expect(usageKeyStep({ role: 'reseller' })).toEqual({ kind: 'none' });
    expect(usageKeyStep({ role: 'customer', tier: 'pro' })).toEqual({ kind: 'none' });
    expect(usageKeyState({ role: 'customer', tier: 'pro' })).toBeUndefined();
  });

  it('is not tried again for the tier the region had no key left for, until the tier changes', () => {
    expect(usageKeyStep({ role: 'reseller', tier: 'pro', apiGatewayKeyRefusedFor: 'pro' })).toEqual({ kind: 'none' });
    expect(usageKeyState({ role: 'reseller', tier: 'pro', apiGatewayKeyRefusedFor: 'pro' })).toBe('unavailable');
    expect(usageKeyStep({ role: 'reseller', tier: 'enterprise', apiGatewayKeyRefusedFor: 'pro' })).toEqual({ kind: 'issue', tier: 'enterprise' });
  });
});
