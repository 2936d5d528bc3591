import { describe, expect, it } from 'vitest';
import { markUp, parseMarkup, readUpstreamRate } from '../../lambdas/catalog/domain/markup.js';
import { planSync } from '../../lambdas/catalog/domain/provider-sync.js';
import type { Service } from '../../lambdas/catalog/domain/catalog.js';
import type { ProviderServiceListing } from '../../lambdas/catalog/ports.js';
import { formatMoney, parseMoney } from '../../lambdas/shared/money.js';

const price = (cost: string, kind: 'percent' | 'fixed', value: string, rounding?: string) =>
  formatMoney(markUp(parseMoney(cost), parseMarkup({ kind, value, ...(rounding ? { rounding } : {}) })), 2);

describe('markup', () => {
  it('adds a percent exactly, rounding half up to a micro-unit', () => {
    expect(price('1.20', 'percent', '25')).toBe('1.50');
    expect(price('0.333333', 'percent', '50')).toBe('0.50');
    expect(formatMoney(markUp(parseMoney('0.000001'), parseMarkup({ kind: 'percent', value: '50' })), 6)).toBe('0.000002');
    expect(price('0.10', 'percent', '12.5')).toBe('0.1125');
  });

  it('adds a fixed amount, and rounds up to the step so rounding never eats the margin', () => {
    expect(price('0.50', 'fixed', '0.25')).toBe('0.75');
    expect(price('1.2345', 'percent', '0', '0.01')).toBe('1.24');
    expect(price('1.23', 'percent', '0', '0.01')).toBe('1.23');
    expect(price('0.41', 'percent', '10', '0.05')).toBe('0.50');
  });

  it('keeps exact with costs whose product passes 2^53 micro-units', () => {
    expect(price('999999.999999', 'percent', '9999.999999')).toBe('100999999.989899');
  });

  it('refuses negative markups, zero steps and percents above 10000', () => {
    expect(() => parseMarkup({ kind: 'percent', value: '-5' })).toThrow(/negative/);
    expect(() => parseMarkup({ kind: 'fixed', value: '1', rounding: '0' })).toThrow(/above zero/);
    expect(() => parseMarkup({ kind: 'percent', value: '10000.01' })).toThrow(/at most 10000/);
  });

  it('reads upstream rates as panels send them, rounding past six decimals half up', () => {
    expect(readUpstreamRate('0.5')).toBe(500_000);
    expect(readUpstreamRate('3')).toBe(3_000_000);
    expect(readUpstreamRate('0.12345649')).toBe(123_456);
    expect(readUpstreamRate('0.1234565')).toBe(123_457);
    expect(readUpstreamRate('-1')).toBeUndefined();
    expect(readUpstreamRate('1e3')).toBeUndefined();
  });
});

const ours = (id: number, providerServiceId: string, rate: string, cost: string | undefined, extra: Partial<Service> = {}): Service => ({
  id,
  name: `Service ${id}`,
  type: 'Default',
  category: 'YouTube',
  ratePer1000: parseMoney(rate),
  ...(cost !== undefined ? { costPer1000: parseMoney(cost) } : {}),
  min: 10,
  max: 1000,
  refill: false,
  cancel: false,
  dripfeed: false,
  enabled: true,
  providerId: 'acme',
  providerServiceId,
  ...extra,
});

const upstream = (service: string, rate: string, extra: Partial<ProviderServiceListing> = {}): ProviderServiceListing => ({
  service,
  name: `Upstream ${service}`,
  type: 'Default',
  category: 'YouTube',
  rate,
  min: 10,
  max: 1000,
  refill: false,
  cancel: true,
  ...extra,
});

const markup = parseMarkup({ kind: 'percent', value: '50', rounding: '0.01' });

describe('the sync plan', () => {
  const catalog = [
    ours(1, '101', '1.00', '0.50'),
    ours(2, '102', '2.00', '1.00'),
    ours(3, '103', '3.00', '2.00'),
    ours(4, '104', '3.00', '2.00', { enabled: false }),
    ours(5, '101', '9.00', '6.00', { providerId: 'other' }),
  ];
  const listing = [
    upstream('101', '0.50'),
    upstream('102', '1.10'),
    upstream('201', '0.333', { name: 'New views', category: 'youtube' }),
    upstream('202', '1.00', { category: 'Spotify' }),
    upstream('203', '1.00', { type: 'Weird Type' }),
    upstream('204', 'free'),
  ];

  it('adds the unmapped upstream services at cost plus markup, flags changed costs and keeps our price', () => {
    const plan = planSync(catalog, listing, { providerId: 'acme', markup, categories: ['YouTube'] });
    expect(plan.added.map((s) => [s.providerServiceId, formatMoney(s.costPer1000!, 2), formatMoney(s.ratePer1000, 2)])).toEqual([['201', '0.333', '0.50']]);
    expect(plan.changed).toHaveLength(1);
    expect(plan.changed[0]).toMatchObject({ service: { id: 2 }, costBefore: parseMoney('1.00'), costAfter: parseMoney('1.10'), rateAfter: parseMoney('2.00') });
    expect(plan.skipped.map((s) => s.providerServiceId)).toEqual(['203', '204']);
  });

  it('disables only our enabled services that are gone upstream, and only this provider’s', () => {
    const plan = planSync(catalog, listing, { providerId: 'acme', markup });
    expect(plan.disappeared.map((s) => s.id)).toEqual([3]);
    expect(plan.added.map((s) => s.providerServiceId)).toEqual(['201', '202']);
  });

  it('reprices changed services when asked', () => {
    const plan = planSync(catalog, listing, { providerId: 'acme', markup, reprice: true });
    expect(formatMoney(plan.changed[0]!.rateAfter, 2)).toBe('1.65');
  });

  it('finds nothing to do once applied', () => {
    const first = planSync(catalog, listing, { providerId: 'acme', markup });
    const applied = [
      ...catalog.map((s) => (s.id === 2 ? { ...s, costPer1000: parseMoney('1.10') } : s.id === 3 ? { ...s, enabled: false } : s)),
      ...first.added.map((s, i) => ({ ...s, id: 10 + i })),
    ];
    const again = planSync(applied, listing, { providerId: 'acme', markup });
    expect([again.added, again.changed, again.disappeared]).toEqual([[], [], []]);
  });
});
