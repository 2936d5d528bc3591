// The pure rules around API keys: their shape and ids, limits, and IP allow-lists (IPv4, IPv6, CIDR).
import { describe, expect, it } from 'vitest';
import {
  API_KEY_PREFIX,
  DEFAULT_API_KEY_LIMITS,
  effectiveLimits,
  generateApiKey,
  generateApiKeyId,
  isWellFormedApiKey,
  validateLimits,
} from '../../lambdas/access/domain/api-keys.js';
import { abuseSourceOf, isIpAllowed } from '../../lambdas/access/domain/caller-address.js';
import { parseIpAllowList } from '../../lambdas/access/domain/ip-allow-list.js';
import { isDomainError } from '../../lambdas/shared/errors.js';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error, 'invalid_request')) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('key format', () => {
  it('hands out cdx_ keys with at least 32 random base62 characters, all distinct', () => {
    const keys = Array.from({ length: 500 }, () => generateApiKey());
    for (const key of keys) {
      expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(key.slice(API_KEY_PREFIX.length)).toMatch(/^[0-9A-Za-z]{32,}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses the whole base62 alphabet and drops the bytes that would make some characters likelier', () => {
    const counting = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => i % 256));
    expect(generateApiKey(counting).slice(4)).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd');
    // 250 would map to '2' (250 % 62) if it were not dropped.
    const skewed = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i % 2 ? 61 : 250)));
    expect(generateApiKey(skewed).slice(4)).toBe('z'.repeat(40));
    const characters = new Set(Array.from({ length: 200 }, () => generateApiKey().slice(4)).join(''));
    expect(characters.size).toBe(62);
  });

  it('tells well-formed keys from anything else', () => {
    for (const bad of ['', 'cdx_', 'cdx_short', `CDX_${'a'.repeat(40)}`, `cdx_${'a'.repeat(31)}`, `cdx_${'a'.repeat(39)}!`, `xyz_${'a'.repeat(40)}`]) {
      expect(isWellFormedApiKey(bad), bad).toBe(false);
    }
    expect(isWellFormedApiKey(`cdx_${'a'.repeat(32)}`)).toBe(true);
  });

  it('names keys with distinct ids that reveal nothing of the key', () => {
    const ids = Array.from({ length: 500 }, () => generateApiKeyId());
    for (const id of ids) expect(id).toMatch(/^kid_[0-9A-Za-z]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('limits', () => {
  it('default to 120 requests a minute and 10,000 orders a day', () => {
    expect(DEFAULT_API_KEY_LIMITS).toEqual({ requestsPerMinute: 120, dailyOrderQuota: 10_000 });
  });

  it("take the key's own value first, then its tier's, then the default", () => {
    expect(effectiveLimits(DEFAULT_API_KEY_LIMITS, undefined, undefined)).toEqual(DEFAULT_API_KEY_LIMITS);
    expect(effectiveLimits(DEFAULT_API_KEY_LIMITS, { requestsPerMinute: 300 }, undefined)).toEqual({ requestsPerMinute: 300, dailyOrderQuota: 10_000 });
    expect(effectiveLimits(DEFAULT_API_KEY_LIMITS, { requestsPerMinute: 300, dailyOrderQuota: 5 }, { requestsPerMinute: 10 })).toEqual({
      requestsPerMinute: 10,
      dailyOrderQuota: 5,
    });
  });

  it('refuse limits that are not positive whole numbers', () => {
    expect(validateLimits({ requestsPerMinute: 60 })).toEqual({ requestsPerMinute: 60 });
    for (const bad of [0, -1, 1.5, Number.NaN, 1e9]) expect(refusal(() => validateLimits({ requestsPerMinute: bad }))).toContain('requestsPerMinute');
    expect(refusal(() => validateLimits({ dailyOrderQuota: 0 }))).toContain('dailyOrderQuota');
  });
});

describe('IP allow-lists', () => {
  it('accept single IPv4 and IPv6 addresses and CIDR ranges, in canonical form without duplicates', () => {
    expect(parseIpAllowList(['203.0.113.7', ' 198.51.100.0/24 ', '2001:DB8:0:0:0:0:0:1', '2001:db8:abcd::/48', '203.0.113.7', '0.0.0.0/0', '::/0'])).toEqual([
      '203.0.113.7',
      '198.51.100.0/24',
      '2001:db8::1',
      '2001:db8:abcd::/48',
      '0.0.0.0/0',
      '::/0',
    ]);
    expect(parseIpAllowList(['10.0.0.1/32', '2001:db8::1/128'])).toEqual(['10.0.0.1', '2001:db8::1']);
    expect(parseIpAllowList([])).toEqual([]);
  });

  it('treat IPv4-mapped IPv6 entries as the IPv4 they carry', () => {
    expect(parseIpAllowList(['::ffff:192.0.2.1', '::ffff:192.0.2.0/120'])).toEqual(['192.0.2.1', '192.0.2.0/24']);
  });

  it('refuse every bad entry at once, naming each', () => {
    const message = refusal(() =>
      parseIpAllowList(['10.0.0.1', 'not-an-ip', '10.0.0.256', '10.0.0.0/33', '2001:db8::/129', '10.0.0.5/24', '', 'fe80::1%eth0']),
    );
    expect(message).toContain('"not-an-ip" is not an IP address or CIDR range');
    expect(message).toContain('"10.0.0.256"');
    expect(message).toContain('"10.0.0.0/33" has a prefix length outside 0-32');
    expect(message).toContain('"2001:db8::/129" has a prefix length outside 0-128');
    expect(message).toContain('"10.0.0.5/24" is not the start of its range (did you mean "10.0.0.0/24"?)');
    expect(message).toContain('"" is not');
    expect(message).toContain('"fe80::1%eth0"');
    expect(message).not.toContain('"10.0.0.1"');
  });

  it('refuse the odd IPv4 spellings nobody means in an allow-list', () => {
    for (const odd of ['10', '10.1', '0x0a.0.0.1', '010.0.0.1', '10.0.0.1/024', '::ffff:010.0.0.1', '1.2.3.4/', '/24', '1.2.3.4/-1']) {
      expect(
        refusal(() => parseIpAllowList([odd])),
        odd,
      ).toContain(`"${odd}"`);
    }
  });

  it('limit the list to 100 entries', () => {
    const many = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(refusal(() => parseIpAllowList(many))).toContain('at most 100');
    expect(parseIpAllowList(many.slice(0, 100))).toHaveLength(100);
  });

  it('let any address in when there is no list', () => {
    expect(isIpAllowed(undefined, '203.0.113.7')).toBe(true);
    expect(isIpAllowed([], '2001:db8::1')).toBe(true);
  });

  it('match IPv4 addresses and ranges', () => {
    const list = parseIpAllowList(['203.0.113.7', '198.51.100.0/24']);
    expect(isIpAllowed(list, '203.0.113.7')).toBe(true);
    expect(isIpAllowed(list, '198.51.100.0')).toBe(true);
    expect(isIpAllowed(list, '198.51.100.255')).toBe(true);
    expect(isIpAllowed(list, '203.0.113.8')).toBe(false);
    expect(isIpAllowed(list, '198.51.101.1')).toBe(false);
  });

  it('match IPv6 addresses and ranges, however the address is written', () => {
    const list = parseIpAllowList(['2001:db8::1', '2001:db8:abcd::/48']);
    expect(isIpAllowed(list, '2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(isIpAllowed(list, '2001:db8:abcd:ffff::42')).toBe(true);
    expect(isIpAllowed(list, '2001:db8:abce::1')).toBe(false);
    expect(isIpAllowed(list, '2001:db8::2')).toBe(false);
  });

  it('never match an IPv4 caller against IPv6 entries or the reverse, except IPv4-mapped callers', () => {
    expect(isIpAllowed(parseIpAllowList(['::/0']), '203.0.113.7')).toBe(false);
    expect(isIpAllowed(parseIpAllowList(['0.0.0.0/0']), '2001:db8::1')).toBe(false);
    expect(isIpAllowed(parseIpAllowList(['203.0.113.0/24']), '::ffff:203.0.113.9')).toBe(true);
    expect(isIpAllowed(parseIpAllowList(['203.0.113.0/24']), '::FFFF:cb00:7109')).toBe(true);
    expect(isIpAllowed(parseIpAllowList(['::ffff:203.0.113.0/120']), '203.0.113.200')).toBe(true);
    // Stored and matched alike: the allow-list's parser reads "::a.b.c.d" as IPv4, and so does the request path.
    expect(parseIpAllowList(['::203.0.113.5'])).toEqual(['203.0.113.5']);
    expect(isIpAllowed(['203.0.113.5'], '::203.0.113.5')).toBe(true);
    expect(abuseSourceOf('::203.0.113.5')).toBe('203.0.113.5');
  });

  it('never fail a request over an allow-list entry that was not written canonically (an item edited by hand)', () => {
    expect(isIpAllowed(['bogus', '203.0.113.0/33', '203.0.113.7'], '203.0.113.7')).toBe(true);
    expect(isIpAllowed(['bogus'], '203.0.113.7')).toBe(false);
  });

  it('refuse a caller whose address cannot be read when there is a list', () => {
    const list = parseIpAllowList(['203.0.113.7']);
    for (const source of ['', 'unknown', '203.0.113.7, 10.0.0.1', '0xcb.0.113.7']) expect(isIpAllowed(list, source), source).toBe(false);
  });
});

describe('abuse sources', () => {
  it('count IPv4 callers by address and IPv6 callers by their /64', () => {
    expect(abuseSourceOf('203.0.113.7')).toBe('203.0.113.7');
    expect(abuseSourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(abuseSourceOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(abuseSourceOf('2001:db8:1:2:bbbb::9')).toBe(abuseSourceOf('2001:db8:1:2:aaaa::1'));
    expect(abuseSourceOf('2001:db8:1:3::1')).not.toBe(abuseSourceOf('2001:db8:1:2::1'));
    expect(abuseSourceOf('garbage')).toBe('unparsable');
    expect(abuseSourceOf('2001:0DB8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
    expect(abuseSourceOf('::ffff:c000:201')).toBe('192.0.2.1');
    expect(abuseSourceOf('fe80::1%eth0')).toBe('unparsable');
  });
});
