import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/shared/errors.js';
import { validateLink } from '../../lambdas/orders/domain/link.js';
import { type ServiceTerms, readOrderFields } from '../../lambdas/catalog/domain/service-types.js';
import { parseMoney } from '../../lambdas/shared/money.js';

function refusal(link: string, options: { username?: boolean } = {}): string | undefined {
  try {
    validateLink(link, options);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid_link') return error.message;
    throw error;
  }
  return undefined;
}

describe('links', () => {
  it('accepts http(s) URLs naming a host', () => {
    for (const link of [
      'https://www.instagram.com/p/abc/',
      'http://t.me/joinchat/AAAA',
      'https://xn--e1afmkfd.xn--p1ai/путь',
      'https://www.tiktok.com/@natgeo/video/1',
      'https://a.com/p?ref=a@b',
      ' https://youtube.com/watch?v=x ',
    ]) {
      expect(refusal(link)).toBeUndefined();
    }
    expect(validateLink(' https://youtube.com/watch?v=x ')).toBe('https://youtube.com/watch?v=x');
  });

  it('refuses control characters and spaces', () => {
    for (const link of ['https://a.com/\u0000x', 'https://a.com/a\u0007', 'https://a.com/\u007f', 'https://a.com/a b', 'https://a.com/\u0085']) {
      expect(refusal(link), JSON.stringify(link)).toBe('Link must not contain spaces or control characters');
    }
  });

  it('refuses bidi override and isolate characters, in URLs and usernames', () => {
    for (const char of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(refusal(`https://a.com/${char}gpj.exe`)).toBe('Link must not contain bidirectional control characters');
      expect(refusal(`user${char}name`, { username: true })).toBe('Link must not contain bidirectional control characters');
    }
  });

  it('refuses credentials in the URL, even empty ones', () => {
    for (const link of [
      'https://user:pass@instagram.com/p/x',
      'https://user@instagram.com/',
      'https://:secret@instagram.com/',
      'https://@instagram.com/',
      'http://a.com\\@evil.com/',
    ]) {
      expect(refusal(link), link).toBe('Link must not contain a user name or password');
    }
  });

  it('refuses IP-literal hosts in every form WHATWG URL reads as an address', () => {
    const literals = [
      'http://127.0.0.1/',
      'http://10.0.0.1:8080/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0x7f000001/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://%31%32%37.0.0.1/',
      'http://127.0.0.1./',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'https://[2001:db8::1]:443/x',
    ];
    for (const link of literals) expect(refusal(link), link).toBe('Link must name a host, not an IP address');
  });

  it('refuses localhost and its subdomains', () => {
    for (const link of ['http://localhost/', 'http://LOCALHOST:3000/api', 'http://localhost./', 'http://api.localhost/', 'http://a.b.localhost./x']) {
      expect(refusal(link), link).toBe('Link must not point to localhost');
    }
  });

  it('refuses other schemes and hosts without a dot', () => {
    expect(refusal('ftp://example.com/x')).toBe('Link must be an http(s) URL');
    expect(refusal('javascript:alert(1)')).toBe('Link must be an http(s) URL');
    expect(refusal('http://intranet/x')).toBe('Link must name a real host');
  });

  it('takes a bare username only where the service type targets an account', () => {
    expect(refusal('@natgeo')).toBe('Link must be an http(s) URL');
    expect(refusal('natgeo')).toBe('Link must be an http(s) URL');
    expect(refusal('@natgeo', { username: true })).toBeUndefined();
    expect(refusal('nat.geo_1', { username: true })).toBeUndefined();
    expect(refusal('not a user', { username: true })).toBe('Link must not contain spaces or control characters');
    expect(refusal('http://[::1]/', { username: true })).toBe('Link must name a host, not an IP address');
    expect(refusal('', { username: true })).toBe('Link is required');
    expect(refusal(`https://a.com/${'x'.repeat(2100)}`)).toBe('Link is longer than 2048 characters');
  });
});

describe('which service types take a username as the link', () => {
  const terms: ServiceTerms = { min: 1, max: 10_000, dripfeed: false, ratePer1000: parseMoney('1.00') };
  const linkError = (type: string, fields: Record<string, string>) => {
    try {
      readOrderFields(type, fields, terms);
    } catch (error) {
      if (error instanceof DomainError) return error.message;
      throw error;
    }
    return undefined;
  };

  it('account types (Default, Package) and the Subscriptions username do', () => {
    expect(linkError('Default', { link: '@natgeo', quantity: '100' })).toBeUndefined();
    expect(linkError('Package', { link: 'natgeo' })).toBeUndefined();
    expect(linkError('Subscriptions', { username: '@natgeo', min: '10', max: '20' })).toBeUndefined();
  });

  it('post, page and group types need a URL, and so do media and group lists', () => {
    expect(linkError('Custom Comments', { link: '@natgeo', comments: 'nice' })).toBe('Link must be an http(s) URL');
    expect(linkError('Mentions', { link: 'natgeo', quantity: '100', usernames: 'a' })).toBe('Link must be an http(s) URL');
    expect(linkError('Comment Likes', { link: 'natgeo', quantity: '100', username: 'a' })).toBe('Link must be an http(s) URL');
    expect(linkError('Poll', { link: 'natgeo', quantity: '100', answer_number: '1' })).toBe('Link must be an http(s) URL');
    expect(linkError('SEO', { link: 'example', quantity: '100', keywords: 'k' })).toBe('Link must be an http(s) URL');
    expect(linkError('Mentions Media Likers', { link: 'https://instagram.com/p/x', quantity: '100', media: 'natgeo' })).toBe(
      'Field media: Link must be an http(s) URL',
    );
    expect(linkError('Invites from Groups', { link: 'https://t.me/x', quantity: '100', groups: 'https://t.me/a\n@group' })).toBe(
      'Line 2 of groups: Link must be an http(s) URL',
    );
  });

  it('every type refuses an inward or disguised link the same way', () => {
    expect(linkError('Default', { link: 'http://2130706433/', quantity: '100' })).toBe('Link must name a host, not an IP address');
    expect(linkError('Subscriptions', { username: 'https://u:p@instagram.com/natgeo', min: '10', max: '20' })).toBe(
      'Field username: Link must not contain a user name or password',
    );
    expect(linkError('Mentions Media Likers', { link: 'https://instagram.com/p/x', quantity: '100', media: 'http://localhost/x' })).toBe(
      'Field media: Link must not point to localhost',
    );
  });
});
