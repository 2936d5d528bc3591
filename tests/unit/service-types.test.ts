import { readStatusAnswer } from '../../lambdas/catalog/domain/status-answer.js';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/shared/errors.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import {
  SERVICE_TYPES,
  type ServiceTerms,
  orderedUnits,
  parseServiceType,
  providerFields,
  readOrderFields,
  statusExtras,
  statusWord,
} from '../../lambdas/catalog/domain/service-types.js';

const LINK = 'https://instagram.com/p/abc';
const views: ServiceTerms = { min: 50, max: 10_000, dripfeed: true, ratePer1000: parseMoney('0.90') };
const comments: ServiceTerms = { min: 2, max: 5, dripfeed: false, ratePer1000: parseMoney('12.00') };
const onePackage: ServiceTerms = { min: 1, max: 1, dripfeed: false, ratePer1000: parseMoney('2.50') };
const mentions: ServiceTerms = { min: 1, max: 10_000, dripfeed: false, ratePer1000: parseMoney('6.00') };
const autoLikes: ServiceTerms = { min: 50, max: 5000, dripfeed: false, ratePer1000: parseMoney('0.60') };

function refusal(read: () => unknown): { code: string; message: string } | undefined {
  try {
    read();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

const invalid = (message: string) => ({ code: 'invalid_request', message });

describe('service type names', () => {
  it('lists the sixteen types as panels spell them', () => {
    expect(SERVICE_TYPES).toHaveLength(16);
    expect(SERVICE_TYPES).toContain('Mentions with Hashtags');
    expect(SERVICE_TYPES).toContain('Invites from Groups');
  });

  it('reads snake_case, dashed and oddly cased spellings', () => {
    expect(parseServiceType('custom_comments_package')).toBe('Custom Comments Package');
    expect(parseServiceType('mentions-with-hashtags')).toBe('Mentions with Hashtags');
    expect(parseServiceType('  SEO ')).toBe('SEO');
    expect(parseServiceType('Likes Magic')).toBeUndefined();
  });

  it('refuses an order for a type it does not know', () => {
    expect(refusal(() => readOrderFields('Likes Magic', { link: LINK, quantity: '100' }, views))).toEqual(
      invalid('Service type "Likes Magic" is not supported'),
    );
  });
});

describe('fields', () => {
  it('are read only when sent, never inherited from a prototype', () => {
    const inherited = Object.assign(Object.create({ runs: '5', interval: '10' }) as Record<string, string>, { link: LINK, quantity: '100' });
    expect(readOrderFields('Default', inherited, views)).toEqual({ type: 'Default', link: LINK, quantity: 100, extra: {}, charge: parseMoney('0.09') });
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, constructor: 'x' } as Record<string, string>, comments))).toEqual(
      invalid('Missing field: comments'),
    );
  });

  it('named like Object.prototype members change nothing', () => {
    const params = JSON.parse(`{"link":"${LINK}","quantity":"100","__proto__":{"runs":"5","interval":"10"},"constructor":"x","toString":"y"}`);
    expect(readOrderFields('Default', params, views)).toEqual({ type: 'Default', link: LINK, quantity: 100, extra: {}, charge: parseMoney('0.09') });
  });
});

describe('Default orders', () => {
  it('charges quantity x rate / 1,000 and forwards nothing extra', () => {
    const spec = readOrderFields('Default', { link: LINK, quantity: '157' }, views);
    expect(spec).toEqual({ type: 'Default', link: LINK, quantity: 157, extra: {}, charge: parseMoney('0.1413') });
    expect(providerFields(spec)).toEqual({ link: LINK, quantity: '157' });
  });

  it('accepts numbers from JSON bodies and ignores blank optional fields', () => {
    const params = { link: LINK, quantity: 1000 as unknown as string, runs: '', interval: ' ' };
    expect(readOrderFields('Default', params, views)).toMatchObject({ quantity: 1000, charge: parseMoney('0.90'), extra: {} });
  });

  it('refuses quantities outside the service limits with the protocol messages', () => {
    expect(refusal(() => readOrderFields('Default', { link: LINK, quantity: '49' }, views))).toEqual({
      code: 'quantity_too_small',
      message: 'Quantity less than minimal 50',
    });
    expect(refusal(() => readOrderFields('Default', { link: LINK, quantity: '10001' }, views))).toEqual({
      code: 'quantity_too_large',
      message: 'Quantity more than maximum 10000',
    });
  });

  it('refuses a missing or fractional quantity and a bad link', () => {
    expect(refusal(() => readOrderFields('Default', { link: LINK }, views))).toEqual(invalid('Missing field: quantity'));
    expect(refusal(() => readOrderFields('Default', { link: LINK, quantity: '100.5' }, views))).toEqual(invalid('Field quantity must be a whole number'));
    expect(refusal(() => readOrderFields('Default', { quantity: '100' }, views))).toEqual({ code: 'invalid_link', message: 'Link is required' });
    expect(refusal(() => readOrderFields('Default', { link: 'ftp://x.com/a', quantity: '100' }, views))?.code).toBe('invalid_link');
  });
});

describe('drip-feed', () => {
  const drip = { link: LINK, quantity: '100', runs: '5', interval: '30' };

  it('charges runs x quantity x rate / 1,000 and forwards runs and interval', () => {
    const spec = readOrderFields('Default', drip, views);
    expect(spec).toEqual({
      type: 'Default',
      link: LINK,
      quantity: 100,
      runs: 5,
      interval: 30,
      extra: { runs: '5', interval: '30' },
      charge: parseMoney('0.45'),
    });
    expect(orderedUnits(spec)).toBe(500);
    expect(providerFields(spec)).toEqual({ link: LINK, quantity: '100', runs: '5', interval: '30' });
  });

  it('rounds once on the total, half up to a micro-unit', () => {
    const tiny: ServiceTerms = { min: 1, max: 100, dripfeed: true, ratePer1000: parseMoney('0.0015') };
    expect(readOrderFields('Default', { link: LINK, quantity: '1' }, tiny).charge).toBe(2);
    expect(readOrderFields('Default', { link: LINK, quantity: '1', runs: '3', interval: '10' }, tiny).charge).toBe(5);
  });

  it('applies the service min and max to the quantity of each run', () => {
    expect(refusal(() => readOrderFields('Default', { ...drip, quantity: '40', runs: '10' }, views))).toEqual({
      code: 'quantity_too_small',
      message: 'Quantity less than minimal 50',
    });
    expect(readOrderFields('Default', { ...drip, quantity: '10000', runs: '3' }, views).charge).toBe(parseMoney('27.00'));
  });

  it('refuses drip-feed on a service that does not offer it', () => {
    expect(refusal(() => readOrderFields('Default', drip, { ...views, dripfeed: false }))).toEqual(invalid('This service does not support drip-feed'));
  });

  it('refuses runs and intervals out of range or given alone', () => {
    expect(refusal(() => readOrderFields('Default', { ...drip, runs: '1' }, views))).toEqual(invalid('Field runs must be between 2 and 1000'));
    expect(refusal(() => readOrderFields('Default', { ...drip, runs: '1001' }, views))).toEqual(invalid('Field runs must be between 2 and 1000'));
    expect(refusal(() => readOrderFields('Default', { ...drip, interval: '0' }, views))).toEqual(invalid('Field interval must be between 1 and 1440'));
    expect(refusal(() => readOrderFields('Default', { ...drip, interval: '1441' }, views))).toEqual(invalid('Field interval must be between 1 and 1440'));
    expect(refusal(() => readOrderFields('Default', { link: LINK, quantity: '100', runs: '5' }, views))).toEqual(invalid('Missing field: interval'));
    expect(refusal(() => readOrderFields('Default', { link: LINK, quantity: '100', interval: '5' }, views))).toEqual(invalid('Missing field: runs'));
  });

  it('refuses drip-feed fields on any other type', () => {
    expect(refusal(() => readOrderFields('Mentions', { link: LINK, quantity: '100', usernames: 'a', runs: '2', interval: '5' }, views))).toEqual(
      invalid('Drip-feed (runs, interval) is only available for Default services'),
    );
  });
});

describe('Package orders', () => {
  it('charge the rate once, whatever quantity the client sends, and forward only the link', () => {
    const spec = readOrderFields('Package', { link: LINK, quantity: '5000' }, onePackage);
    expect(spec).toEqual({ type: 'Package', link: LINK, quantity: 1, extra: {}, charge: parseMoney('2.50') });
    expect(providerFields(spec)).toEqual({ link: LINK });
  });

  it('still need a valid link', () => {
    expect(refusal(() => readOrderFields('Package', { link: 'not a link' }, onePackage))).toEqual({
      code: 'invalid_link',
      message: 'Link must not contain spaces or control characters',
    });
  });
});

describe('comment types', () => {
  const text = 'Great shot!\r\n\r\n  Love it  \rNice\n\n';

  it('Custom Comments: one comment per non-empty line, priced per comment', () => {
    const spec = readOrderFields('Custom Comments', { link: LINK, comments: text, quantity: '999' }, comments);
    expect(spec).toEqual({ type: 'Custom Comments', link: LINK, quantity: 3, extra: { comments: 'Great shot!\nLove it\nNice' }, charge: parseMoney('0.036') });
    expect(providerFields(spec)).toEqual({ link: LINK, comments: 'Great shot!\nLove it\nNice' });
  });

  it('Custom Comments: the number of lines must fit the service limits', () => {
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, comments: 'only one' }, comments))).toEqual({
      code: 'quantity_too_small',
      message: 'Quantity less than minimal 2',
    });
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, comments: 'a\nb\nc\nd\ne\nf' }, comments))).toEqual({
      code: 'quantity_too_large',
      message: 'Quantity more than maximum 5',
    });
  });

  it('Custom Comments Package: the package price, however many comments it carries', () => {
    const spec = readOrderFields('Custom Comments Package', { link: LINK, comments: text }, onePackage);
    expect(spec).toEqual({
      type: 'Custom Comments Package',
      link: LINK,
      quantity: 3,
      extra: { comments: 'Great shot!\nLove it\nNice' },
      charge: parseMoney('2.50'),
    });
    expect(providerFields(spec)).toEqual({ link: LINK, comments: 'Great shot!\nLove it\nNice' });
  });

  it('Comment Replies: a username and one reply per line', () => {
    const spec = readOrderFields('Comment Replies', { link: LINK, username: 'natgeo', comments: 'wow\nsame here' }, comments);
    expect(spec).toEqual({
      type: 'Comment Replies',
      link: LINK,
      quantity: 2,
      extra: { username: 'natgeo', comments: 'wow\nsame here' },
      charge: parseMoney('0.024'),
    });
    expect(refusal(() => readOrderFields('Comment Replies', { link: LINK, comments: 'wow\nsame' }, comments))).toEqual(invalid('Missing field: username'));
  });

  it('refuses missing, blank, too long and too many comments', () => {
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK }, comments))).toEqual(invalid('Missing field: comments'));
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, comments: '\r\n  \n' }, comments))).toEqual(invalid('Missing field: comments'));
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, comments: `ok\n${'x'.repeat(501)}` }, comments))).toEqual(
      invalid('Line 2 of comments is longer than 500 characters'),
    );
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, comments: 'ok\nbell\u0007' }, comments))).toEqual(
      invalid('Line 2 of comments contains control characters'),
    );
    const many: ServiceTerms = { ...comments, max: 20_000 };
    expect(readOrderFields('Custom Comments', { link: LINK, comments: Array(10_000).fill('c').join('\n') }, many).quantity).toBe(10_000);
    expect(refusal(() => readOrderFields('Custom Comments', { link: LINK, comments: Array(10_001).fill('c').join('\n') }, many))).toEqual(
      invalid('Field comments has more than 10000 lines'),
    );
  });
});

describe('mention types', () => {
  it('Mentions: quantity and a username list split on lines or commas', () => {
    const spec = readOrderFields('Mentions', { link: LINK, quantity: '200', usernames: 'alice, bob\r\n@carol' }, mentions);
    expect(spec).toEqual({ type: 'Mentions', link: LINK, quantity: 200, extra: { usernames: 'alice\nbob\n@carol' }, charge: parseMoney('1.20') });
    expect(providerFields(spec)).toEqual({ link: LINK, quantity: '200', usernames: 'alice\nbob\n@carol' });
    expect(refusal(() => readOrderFields('Mentions', { link: LINK, quantity: '200', usernames: 'alice\nbob smith' }, mentions))).toEqual(
      invalid('Line 2 of usernames is not a username (letters, digits, _ . -, up to 100)'),
    );
  });

  it('Mentions with Hashtags: usernames and hashtags', () => {
    const spec = readOrderFields('Mentions with Hashtags', { link: LINK, quantity: '100', usernames: 'alice', hashtags: '#fun,#sun' }, mentions);
    expect(spec.extra).toEqual({ usernames: 'alice', hashtags: '#fun\n#sun' });
    expect(spec.charge).toBe(parseMoney('0.60'));
    expect(refusal(() => readOrderFields('Mentions with Hashtags', { link: LINK, quantity: '100', usernames: 'alice' }, mentions))).toEqual(
      invalid('Missing field: hashtags'),
    );
    expect(
      refusal(() => readOrderFields('Mentions with Hashtags', { link: LINK, quantity: '100', usernames: 'alice', hashtags: '#no-dash' }, mentions)),
    ).toEqual(invalid('Line 1 of hashtags is not a hashtag (letters, digits, _, up to 100)'));
  });

  it('Mentions Custom List: the quantity is the number of usernames and is not forwarded', () => {
    const spec = readOrderFields('Mentions Custom List', { link: LINK, usernames: 'a\nb\n\nc', quantity: '50' }, mentions);
    expect(spec).toEqual({ type: 'Mentions Custom List', link: LINK, quantity: 3, extra: { usernames: 'a\nb\nc' }, charge: parseMoney('0.018') });
    expect(providerFields(spec)).toEqual({ link: LINK, usernames: 'a\nb\nc' });
    expect(refusal(() => readOrderFields('Mentions Custom List', { link: LINK, usernames: 'a\nb' }, { ...mentions, min: 3 }))).toEqual({
      code: 'quantity_too_small',
      message: 'Quantity less than minimal 3',
    });
  });

  it('Mentions Hashtag: one hashtag', () => {
    expect(readOrderFields('Mentions Hashtag', { link: LINK, quantity: '300', hashtag: '#travel' }, mentions)).toMatchObject({
      quantity: 300,
      extra: { hashtag: '#travel' },
      charge: parseMoney('1.80'),
    });
    expect(refusal(() => readOrderFields('Mentions Hashtag', { link: LINK, quantity: '300', hashtag: '#a b' }, mentions))).toEqual(
      invalid('Field hashtag is not a hashtag (letters, digits, _, up to 100)'),
    );
  });

  it('Mentions User Followers: one username', () => {
    expect(readOrderFields('Mentions User Followers', { link: LINK, quantity: '100', username: '@natgeo' }, mentions).extra).toEqual({ username: '@natgeo' });
    expect(refusal(() => readOrderFields('Mentions User Followers', { link: LINK, quantity: '100' }, mentions))).toEqual(invalid('Missing field: username'));
  });

  it('Mentions Media Likers: a media link, checked like any link', () => {
    const media = 'https://instagram.com/p/xyz';
    expect(readOrderFields('Mentions Media Likers', { link: LINK, quantity: '100', media }, mentions).extra).toEqual({ media });
    expect(refusal(() => readOrderFields('Mentions Media Likers', { link: LINK, quantity: '100', media: 'ftp://x.com/a' }, mentions))).toEqual({
      code: 'invalid_link',
      message: 'Field media: Link must be an http(s) URL',
    });
  });
});

describe('targeted types', () => {
  it('Comment Likes: quantity and the username of the comment author', () => {
    const spec = readOrderFields('Comment Likes', { link: LINK, quantity: '500', username: 'alice' }, mentions);
    expect(spec).toEqual({ type: 'Comment Likes', link: LINK, quantity: 500, extra: { username: 'alice' }, charge: parseMoney('3.00') });
  });

  it('Poll: quantity and the answer number', () => {
    expect(readOrderFields('Poll', { link: LINK, quantity: '100', answer_number: '2' }, mentions).extra).toEqual({ answer_number: '2' });
    expect(refusal(() => readOrderFields('Poll', { link: LINK, quantity: '100', answer_number: '0' }, mentions))).toEqual(
      invalid('Field answer_number must be between 1 and 100'),
    );
    expect(refusal(() => readOrderFields('Poll', { link: LINK, quantity: '100', answer_number: 'two' }, mentions))).toEqual(
      invalid('Field answer_number must be a whole number'),
    );
  });

  it('SEO: quantity and keywords, one per line, commas kept', () => {
    const spec = readOrderFields('SEO', { link: LINK, quantity: '1000', keywords: 'buy shoes, cheap\r\nrunning shoes' }, mentions);
    expect(spec).toMatchObject({ quantity: 1000, extra: { keywords: 'buy shoes, cheap\nrunning shoes' }, charge: parseMoney('6.00') });
    expect(refusal(() => readOrderFields('SEO', { link: LINK, quantity: '1000' }, mentions))).toEqual(invalid('Missing field: keywords'));
  });

  it('Invites from Groups: quantity and a list of group links', () => {
    const spec = readOrderFields(
      'Invites from Groups',
      { link: 'https://t.me/mychannel', quantity: '100', groups: 'https://t.me/a\n\nhttps://t.me/b' },
      mentions,
    );
    expect(spec.extra).toEqual({ groups: 'https://t.me/a\nhttps://t.me/b' });
    expect(refusal(() => readOrderFields('Invites from Groups', { link: LINK, quantity: '100', groups: 'https://t.me/a\nnot a link' }, mentions))).toEqual({
      code: 'invalid_link',
      message: 'Line 2 of groups: Link must not contain spaces or control characters',
    });
  });
});

describe('subscriptions', () => {
  const base = { username: 'natgeo', min: '100', max: '200', posts: '10', delay: '30' };

  it('charge rate x max x posts / 1,000 and forward the subscription fields, never a link or quantity', () => {
    const spec = readOrderFields('Subscriptions', { ...base, link: LINK, quantity: '5', expiry: '5/3/2027' }, autoLikes);
    expect(spec).toEqual({
      type: 'Subscriptions',
      quantity: 2000,
      extra: { username: 'natgeo', min: '100', max: '200', posts: '10', delay: '30', expiry: '05/03/2027' },
      charge: parseMoney('1.20'),
    });
    expect(providerFields(spec)).toEqual(spec.extra);
  });

  it('charge existing posts too when old_posts is asked for', () => {
    const spec = readOrderFields('Subscriptions', { ...base, old_posts: '2' }, autoLikes);
    expect(spec).toMatchObject({ quantity: 2400, charge: parseMoney('1.44'), extra: { posts: '10', old_posts: '2' } });
  });

  it('take posts=0 with old_posts as the existing posts only, charged for those and forwarded as sent', () => {
    const spec = readOrderFields('Subscriptions', { ...base, posts: '0', old_posts: '3' }, autoLikes);
    expect(spec).toEqual({
      type: 'Subscriptions',
      quantity: 600,
      extra: { username: 'natgeo', min: '100', max: '200', posts: '0', old_posts: '3', delay: '30' },
      charge: parseMoney('0.36'),
    });
    expect(providerFields(spec)).toEqual(spec.extra);
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, posts: '0', old_posts: '0' }, autoLikes))).toEqual(
      invalid('Field posts must be between 1 and 1000'),
    );
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, posts: '1001', old_posts: '3' }, autoLikes))).toEqual(
      invalid('Field posts must be between 0 and 1000'),
    );
  });

  it('take a subscription without posts as one post, charged and forwarded as posts=1', () => {
    const spec = readOrderFields('Subscriptions', { username: 'natgeo', min: '100', max: '200' }, autoLikes);
    expect(spec).toEqual({
      type: 'Subscriptions',
      quantity: 200,
      extra: { username: 'natgeo', min: '100', max: '200', posts: '1', delay: '0' },
      charge: parseMoney('0.12'),
    });
  });

  it('accept a profile URL as the username', () => {
    expect(readOrderFields('Subscriptions', { ...base, username: 'https://instagram.com/natgeo' }, autoLikes).extra.username).toBe(
      'https://instagram.com/natgeo',
    );
  });

  it('check min and max per post against the service limits', () => {
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, min: '49' }, autoLikes))).toEqual({
      code: 'quantity_too_small',
      message: 'Quantity less than minimal 50',
    });
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, max: '5001' }, autoLikes))).toEqual({
      code: 'quantity_too_large',
      message: 'Quantity more than maximum 5000',
    });
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, min: '300' }, autoLikes))).toEqual(invalid('Field max must not be less than min'));
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, min: '' }, autoLikes))).toEqual(invalid('Missing field: min'));
  });

  it('refuse a missing username, out-of-range posts and delays off the list', () => {
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, username: '' }, autoLikes))).toEqual(invalid('Missing field: username'));
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, posts: '0' }, autoLikes))).toEqual(invalid('Field posts must be between 1 and 1000'));
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, old_posts: '1001' }, autoLikes))).toEqual(
      invalid('Field old_posts must be between 0 and 1000'),
    );
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, delay: '45' }, autoLikes))).toEqual(
      invalid('Field delay must be one of 0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600'),
    );
    expect(readOrderFields('Subscriptions', { ...base, delay: '600' }, autoLikes).extra.delay).toBe('600');
  });

  it('refuse an expiry that is malformed, not a calendar date or in the past', () => {
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, expiry: '2027-03-05' }, autoLikes))).toEqual(
      invalid('Field expiry must be a date as d/m/Y, for example 31/12/2026'),
    );
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, expiry: '31/02/2027' }, autoLikes))).toEqual(
      invalid('Field expiry is not a calendar date: 31/02/2027'),
    );
    expect(refusal(() => readOrderFields('Subscriptions', { ...base, expiry: '01/01/2026' }, autoLikes, { today: '2026-06-01' }))).toEqual(
      invalid('Field expiry must not be in the past'),
    );
    expect(readOrderFields('Subscriptions', { ...base, expiry: '01/06/2026' }, autoLikes, { today: '2026-06-01' }).extra.expiry).toBe('01/06/2026');
  });
});

describe('status answers for drip-feed and subscriptions', () => {
  it('adds runs for a drip-feed order and nothing for a plain one', () => {
    expect(statusExtras('Default', { runs: 5 })).toEqual({ runs: '5' });
    expect(statusExtras('Default', {})).toEqual({});
    expect(statusExtras('Mentions', { runs: 5 })).toEqual({});
  });

  it('adds posts and the expiry for a subscription', () => {
    expect(statusExtras('Subscriptions', { posts: 10, expiry: '05/03/2027' })).toEqual({ posts: '10', expiry: '05/03/2027' });
    expect(statusExtras('Subscriptions', { posts: 1 })).toEqual({ posts: '1' });
  });

  it('calls a running subscription Active and leaves other words alone', () => {
    expect(statusWord('Subscriptions', 'In progress')).toBe('Active');
    expect(statusWord('Subscriptions', 'Processing')).toBe('Active');
    expect(statusWord('Subscriptions', 'Completed')).toBe('Completed');
    expect(statusWord('Default', 'In progress')).toBe('In progress');
  });

  it('reads provider subscription statuses with the one status reader, Paused as running and Expired as ended', () => {
    expect(readStatusAnswer({ status: 'Active' }).status).toBe('In progress');
    expect(readStatusAnswer({ status: 'Paused' }).status).toBe('In progress');
    expect(readStatusAnswer({ status: 'Expired' }).status).toBe('Completed');
    expect(readStatusAnswer({ status: 'Canceled' }).status).toBe('Canceled');
    expect(() => readStatusAnswer({ status: '???' })).toThrow();
    // A provider's own words come first, as for any order.
    expect(readStatusAnswer({ status: 'Expired' }, { expired: 'ambiguous' })).toEqual({ status: 'Canceled', doubtful: true });
  });
});
