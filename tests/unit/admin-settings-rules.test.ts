// The pure rules of issue 11's settings and promo codes: overrides over defaults, what a patch may set, which routes
// maintenance closes, and the bonus arithmetic.
import { describe, expect, it } from 'vitest';
import { TIERS } from '../../lambdas/access/domain/tiers.js';
import { apiMethods } from '../../lambdas/functions.js';
import { EMAILED_TYPES } from '../../lambdas/notifications/domain/email-notifications.js';
import { renderEmail } from '../../lambdas/notifications/templates/render-email.js';
import { previewOverride, SAMPLE_VIEWS } from '../../lambdas/notifications/templates/template-overrides.js';
import { bonusOf, changePromoCode, definePromoCode, promoBonus } from '../../lambdas/payments/domain/promo-codes.js';
import { CachedSettingsItem, CachedSettingsReader } from '../../lambdas/settings/application/settings-reader.js';
import { applyPatch, effectiveSettings, NO_SETTINGS, type SettingsDefaults, settingsDiff } from '../../lambdas/settings/domain/settings.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { closedForMaintenance, OPEN_DURING_MAINTENANCE } from '../../lambdas/settings/domain/maintenance.js';

const defaults: SettingsDefaults = { tiers: TIERS, minDeposit: parseMoney('1.00'), maxDeposit: parseMoney('10000.00'), maxDailySpend: parseMoney('500') };
const context = { defaults, templateTypes: EMAILED_TYPES, checkTemplate: () => undefined };
const now = new Date('2026-12-01T10:00:00Z');

describe('settings', () => {
  it('are the defaults until overridden, and an override of one tier field keeps the others', () => {
    expect(effectiveSettings(NO_SETTINGS, defaults)).toMatchObject({
      minDeposit: defaults.minDeposit,
      maxDailySpend: defaults.maxDailySpend,
      maintenance: { enabled: false },
    });
    const overrides = applyPatch({}, { tiers: { pro: { dailyOrderQuota: 7 } }, maxDailySpend: '0', minDeposit: '3.50' }, context);
    const effective = effectiveSettings({ overrides, version: 1 }, defaults);
    expect(effective.tiers.pro).toEqual({ requestsPerMinute: TIERS.pro.requestsPerMinute, dailyOrderQuota: 7 });
    expect(effective.maxDailySpend).toBeUndefined();
    expect(effective.minDeposit).toBe(parseMoney('3.50'));
    expect(applyPatch(overrides, { tiers: { pro: null }, minDeposit: null }, context)).toEqual({ maxDailySpend: '0' });
  });

  it('refuse what cannot be a setting, naming the field', () => {
    const refusals: [object, string][] = [
      [{ tiers: { gold: {} } }, 'tiers.gold'],
      [{ tiers: { pro: { requestsPerMinute: 0 } } }, 'tiers.pro'],
      [{ minDeposit: '0' }, 'minDeposit'],
      [{ minDeposit: '1.005' }, 'minDeposit'],
      [{ minDeposit: '20000.00' }, 'minDeposit'],
      [{ maxDailySpend: '-1' }, 'maxDailySpend'],
      [{ templates: { 'order.placed': { text: 'x' } } }, 'templates.order.placed'],
      [{ templates: { 'order.completed': { subject: 'a\nBcc: x' } } }, 'templates.order.completed.subject'],
      [{ maintenance: { enabled: true, message: ' ' } }, 'maintenance.message'],
    ];
    for (const [patch, field] of refusals) expect(() => applyPatch({}, patch, context), field).toThrow(expect.objectContaining({ field }));
  });

  it('diff only what changed, whatever the order of keys', () => {
    const before = { maintenance: { message: 'm', enabled: true }, minDeposit: '2.00' };
    const after = { maintenance: { enabled: true, message: 'm' }, minDeposit: '3.00' };
    expect(settingsDiff(before, after)).toEqual({ before: { minDeposit: '2.00' }, after: { minDeposit: '3.00' } });
  });

  it('are read once per cache period by a container, however many requests ask at once', async () => {
    let reads = 0;
    let t = 0;
    const item = new CachedSettingsItem(
      async () => {
        reads++;
        return NO_SETTINGS;
      },
      { now: () => new Date(t) },
    );
    const reader = new CachedSettingsReader(item, () => defaults);
    await Promise.all(Array.from({ length: 50 }, () => reader.current()));
    t = 29_999;
    await reader.current();
    expect(reads).toBe(1);
    t = 30_000;
    await reader.current();
    expect(reads).toBe(2);
  });
});

describe('maintenance', () => {
  it('closes every /api/v1 route but the callbacks, the demo checkout and the public pages, and never the admin API', () => {
    for (const key of OPEN_DURING_MAINTENANCE) {
      const [method, path] = key.split(' ') as [string, string];
      expect(
        apiMethods().some((m) => m.method === method && m.route.path === path),
        key,
      ).toBe(true);
      expect(closedForMaintenance(method, path)).toBe(false);
    }
    expect(closedForMaintenance('POST', '/api/v1/orders')).toBe(true);
    expect(closedForMaintenance('POST', '/api/v1/auth/register')).toBe(true);
    expect(closedForMaintenance('POST', '/api/v1/auth/login')).toBe(false);
    expect(closedForMaintenance('HEAD', '/api/v1/services')).toBe(false);
    expect(closedForMaintenance('PATCH', '/admin/v1/settings')).toBe(false);
    expect(closedForMaintenance('POST', '/api/v1/providers/{providerId}/callback')).toBe(false);
  });
});

describe('email template overrides', () => {
  it('render in place of the built-in subject and text, the HTML made from the text and escaped', () => {
    const view = SAMPLE_VIEWS['api_key.created'];
    const email = renderEmail(view, { subject: 'Key <%= it.key.prefix %>', text: 'New key <%= it.key.label %> <script>' });
    expect(email.subject).toBe('Key cdx_AbCdEf');
    expect(email.text).toBe('New key shop <script>');
    expect(email.html).toContain('New key shop &lt;script&gt;');
    expect(renderEmail(view).subject).toBe(renderEmail(view, {}).subject);
  });

  it('allow printing fields and if blocks over them, nothing else', () => {
    expect(previewOverride('order.partial', { text: '<% if (!it.order.refunded) { -%>none<% } else { %><%= it.order.refunded %><% } -%>' }).text).toBe(
      '0.45 USD',
    );
    for (const text of ['<%= it.order.link.constructor %>', '<%= 1 + 1 %>', '<% it.x = 1 %>', '<%= it.order["link"] %>', '<% } %>', 'a <% b']) {
      expect(() => previewOverride('order.partial', { text }), text).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });
});

describe('promo codes', () => {
  it('give a percent bonus rounded down to a cent, or a fixed one', () => {
    expect(bonusOf({ kind: 'percent', value: '10' }, parseMoney('25.00'))).toBe(parseMoney('2.50'));
    expect(bonusOf({ kind: 'percent', value: '12.5' }, parseMoney('0.99'))).toBe(parseMoney('0.12'));
    expect(bonusOf({ kind: 'percent', value: '100' }, parseMoney('10000.00'))).toBe(parseMoney('10000.00'));
    expect(bonusOf({ kind: 'fixed', value: '5.00' }, parseMoney('1.00'))).toBe(parseMoney('5.00'));
  });

  it('refuse a used-up, expired, disabled code, a customer past their limit and a deposit under the minimum', () => {
    const code = definePromoCode(
      { code: 'abc', kind: 'fixed', value: '1', maxUses: 2, perUserLimit: 1, minDeposit: '10.00', expiresAt: '2026-12-02T00:00:00Z' },
      now,
    );
    const ten = parseMoney('10.00');
    expect(promoBonus(code, ten, 0, now, 'USD')).toBe(parseMoney('1'));
    expect(() => promoBonus({ ...code, uses: 2 }, ten, 0, now, 'USD')).toThrow(/used up/);
    expect(() => promoBonus(code, ten, 1, now, 'USD')).toThrow(/already used/);
    expect(() => promoBonus(code, parseMoney('9.99'), 0, now, 'USD')).toThrow(/at least 10.00 USD/);
    expect(() => promoBonus(code, ten, 0, new Date('2026-12-02T00:00:00Z'), 'USD')).toThrow(/expired/);
    expect(() => promoBonus(changePromoCode(code, { disabled: true }, now), ten, 0, now, 'USD')).toThrow(/no such/);
    expect(changePromoCode(code, { maxUses: null, expiresAt: null }, now)).not.toHaveProperty('maxUses');
    expect(() => definePromoCode({ code: 'a b', kind: 'fixed', value: '1' }, now)).toThrow(expect.objectContaining({ field: 'code' }));
    expect(() => definePromoCode({ code: 'OLD', kind: 'fixed', value: '1', expiresAt: '2020-01-01T00:00:00Z' }, now)).toThrow(
      expect.objectContaining({ field: 'expiresAt' }),
    );
  });
});
