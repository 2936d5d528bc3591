// What `add` takes for each SMM panel service type, and what it costs: one reader per type checks the type's own
// fields, derives the quantity, prices the order and says exactly which fields go upstream. Pure: no clock, no I/O.
//
// Sources (public panel docs and code, read with the search tool):
// - Fields by type, the delay list and the d/m/Y expiry: the PerfectPanel-generated API pages (livetng.com/ms/api,
//   painelgramsmm.com/en/api). There `posts` is optional ("not set: unlimited number of posts") and `old_posts` is
//   "existing posts that will be parsed and for which orders will be created".
// - Prices: shadiew/smartpanel_4_0 (app/modules/order/controllers/order.php) and a Laravel panel's OrderService
//   (calculateCharge) agree: Package and Custom Comments Package cost the service price once; drip-feed costs
//   runs x quantity x rate / 1000; a subscription costs max x posts x rate / 1000, with posts required there.
// - `status` for drip-feed and subscriptions: PerfectPanel pages only show the plain shape
//   {charge, start_count, status, remains, currency}; hiddenxcel/smm-reseller-hub-laravel supports neither kind.
//   smartpanel_4_0 (app/modules/api/controllers/api.php) answers {status, runs, orders: [child ids]} for drip-feed and
//   {status, expiry: <bool not expired>, posts, orders} for subscriptions, with the status `Active` while running;
//   iplusview's subscription API shows posts, old_posts, delay, expires_at and statuses Active, Paused, Completed,
//   Expired, Canceled. We keep the plain shape every client parses and add the fields they agree on (statusExtras):
//   `runs` for drip-feed, `posts` and `expiry` for subscriptions (expiry as the d/m/Y the client sent: the sources
//   disagree between a boolean and a timestamp, and echoing the request's own format is the least surprising), and
//   `Active` for a running subscription. No `orders` list: Codex places one upstream order, there are no child ids.
import { DomainError } from '../../shared/errors.js';
import { type LinkOptions, validateLink } from '../../orders/domain/link.js';
import { type Micros, priceOf } from '../../shared/money.js';
import type { OrderStatus } from '../../orders/domain/order-status.js';

export const SERVICE_TYPES = [
  'Default',
  'Package',
  'Custom Comments',
  'Custom Comments Package',
  'Mentions',
  'Mentions with Hashtags',
  'Mentions Custom List',
  'Mentions Hashtag',
  'Mentions User Followers',
  'Mentions Media Likers',
  'Comment Likes',
  'Comment Replies',
  'Poll',
  'SEO',
  'Invites from Groups',
  'Subscriptions',
] as const;
export type ServiceTypeName = (typeof SERVICE_TYPES)[number];

const BY_KEY = new Map<string, ServiceTypeName>(SERVICE_TYPES.map((type) => [typeKey(type), type]));

function typeKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** Reads a type however a panel spells it ("Custom Comments", "custom_comments"); undefined when unknown. */
export function parseServiceType(raw: string): ServiceTypeName | undefined {
  return BY_KEY.get(typeKey(raw));
}

/** The `add` fields that carry the order's target and size, by type; everything else a type takes goes in `extra`. */
const TAKES_QUANTITY: ReadonlySet<ServiceTypeName> = new Set<ServiceTypeName>([
  'Default',
  'Mentions',
  'Mentions with Hashtags',
  'Mentions Hashtag',
  'Mentions User Followers',
  'Mentions Media Likers',
  'Comment Likes',
  'Poll',
  'SEO',
  'Invites from Groups',
]);

/**
 * Types whose `link` may name an account rather than a post: followers, members and story packages are ordered by
 * username as often as by profile URL. The other types act on one post, page or group and need its URL.
 * Subscriptions target `username`, which takes either.
 */
const ACCOUNT_LINK_TYPES: ReadonlySet<ServiceTypeName> = new Set<ServiceTypeName>(['Default', 'Package']);

/** Delay choices for subscriptions, in minutes, as PerfectPanel lists them. */
export const SUBSCRIPTION_DELAYS = [0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600] as const;

export const LIMITS = {
  /** Lines in one list field (comments, usernames, hashtags, keywords, groups). */
  lines: 10_000,
  /** Characters in one comment or keyword line. */
  lineLength: 500,
  runs: { min: 2, max: 1000 },
  /** Drip-feed interval, minutes. */
  interval: { min: 1, max: 1440 },
  /** New posts a subscription may cover. */
  posts: { min: 1, max: 1000 },
  oldPosts: { min: 0, max: 1000 },
  answerNumber: { min: 1, max: 100 },
} as const;

export interface ServiceTerms {
  min: number;
  max: number;
  dripfeed: boolean;
  /** Price per 1,000 units; for Package and Custom Comments Package, the price of one package. */
  ratePer1000: Micros;
}

export interface OrderSpec {
  type: ServiceTypeName;
  /** Absent for Subscriptions, which target `username` instead. */
  link?: string;
  /**
   * Units ordered. Per run for drip-feed (the total is quantity x runs, see orderedUnits); 1 for Package; the
   * number of lines for the list types; max x paid posts for Subscriptions.
   */
  quantity: number;
  runs?: number;
  interval?: number;
  /** Exactly the fields to forward to the provider besides service, link and quantity, as strings. */
  extra: Record<string, string>;
  charge: Micros;
}

export interface ReadOptions {
  /** Today as YYYY-MM-DD, to refuse a subscription expiry in the past; not checked when absent. */
  today?: string;
}

type Params = Record<string, string>;
type Reader = (params: Params, service: ServiceTerms, options: ReadOptions) => Omit<OrderSpec, 'type'>;

/**
 * Checks the fields `add` carries for a service of this type and prices the order. Fields a type does not take are
 * ignored and never forwarded (clients often send `quantity` for every type). Prices use money.ts only: per-unit
 * types cost priceOf(rate, total units), rounded half up to a micro-unit once on the total; the package types cost
 * the rate itself, with no rounding at all.
 */
export function readOrderFields(type: string, params: Params, service: ServiceTerms, options: ReadOptions = {}): OrderSpec {
  const known = parseServiceType(type);
  if (!known) throw invalid(`Service type ${JSON.stringify(type)} is not supported`);
  if (known !== 'Default' && (text(params, 'runs') !== undefined || text(params, 'interval') !== undefined)) {
    throw invalid('Drip-feed (runs, interval) is only available for Default services');
  }
  return { type: known, ...READERS[known](params, service, options) };
}

const READERS: Record<ServiceTypeName, Reader> = {
  Default: (params, service): Omit<OrderSpec, 'type'> => {
    const link = linkOf(params, 'Default');
    const quantity = quantityOf(params, service);
    const drip = dripfeedOf(params, service);
    if (!drip) return { link, quantity, extra: {}, charge: priceOf(service.ratePer1000, quantity) };
    return {
      link,
      quantity,
      ...drip,
      extra: { runs: String(drip.runs), interval: String(drip.interval) },
      charge: priceOf(service.ratePer1000, quantity * drip.runs),
    };
  },
  Package: (params, service) => ({ link: linkOf(params, 'Package'), quantity: 1, extra: {}, charge: service.ratePer1000 }),
  'Custom Comments': (params, service) => {
    const comments = commentLines(params, 'comments');
    return { link: linkOf(params), ...perLine(comments, service), extra: { comments: comments.join('\n') } };
  },
  // The package price covers the comments given; the service's min and max describe packages, not lines.
  'Custom Comments Package': (params, service) => {
    const comments = commentLines(params, 'comments');
    return { link: linkOf(params), quantity: comments.length, extra: { comments: comments.join('\n') }, charge: service.ratePer1000 };
  },
  Mentions: (params, service) => perUnit(params, service, { usernames: usernameList(params, 'usernames') }),
  'Mentions with Hashtags': (params, service) =>
    perUnit(params, service, { usernames: usernameList(params, 'usernames'), hashtags: hashtagList(params, 'hashtags') }),
  'Mentions Custom List': (params, service) => {
    const usernames = listOf(params, 'usernames', /[\n,]/, usernameLine);
    return { link: linkOf(params), ...perLine(usernames, service), extra: { usernames: usernames.join('\n') } };
  },
  'Mentions Hashtag': (params, service) => perUnit(params, service, { hashtag: hashtagOf(required(params, 'hashtag'), 'Field hashtag') }),
  'Mentions User Followers': (params, service) => perUnit(params, service, { username: usernameOf(required(params, 'username'), 'Field username') }),
  'Mentions Media Likers': (params, service) => perUnit(params, service, { media: linkField(required(params, 'media'), 'Field media') }),
  'Comment Likes': (params, service) => perUnit(params, service, { username: usernameOf(required(params, 'username'), 'Field username') }),
  'Comment Replies': (params, service) => {
    const username = usernameOf(required(params, 'username'), 'Field username');
    const comments = commentLines(params, 'comments');
    return { link: linkOf(params), ...perLine(comments, service), extra: { username, comments: comments.join('\n') } };
  },
  Poll: (params, service) => perUnit(params, service, { answer_number: String(wholeNumber(params, 'answer_number', LIMITS.answerNumber)) }),
  SEO: (params, service) => perUnit(params, service, { keywords: listOf(params, 'keywords', /\n/, textLine).join('\n') }),
  'Invites from Groups': (params, service) =>
    perUnit(params, service, { groups: listOf(params, 'groups', /\n/, (line, where) => linkField(line, where)).join('\n') }),
  Subscriptions: subscription,
};

/**
 * Subscriptions are paid upfront: charge = rate x max x (posts + old_posts) / 1000, the rule of smartpanel_4_0's
 * add_order_subscriptions and the Laravel OrderService (both charge max x posts x price / 1000), extended to the
 * existing posts PerfectPanel also orders for. Without `posts` PerfectPanel runs the subscription for unlimited posts;
 * Codex cannot charge later, so such an order is taken as one new post: charged for one and forwarded with posts=1,
 * so the provider never delivers (and bills us for) more than was paid. `posts=0` with `old_posts` of 1 or more orders
 * the existing posts only, as real clients send it: charged max x old_posts and forwarded as sent. The per-post min
 * and max are checked against the service's min and max.
 */
function subscription(params: Params, service: ServiceTerms, options: ReadOptions): Omit<OrderSpec, 'type'> {
  const username = linkField(required(params, 'username'), 'Field username', { username: true });
  const min = wholeNumber(params, 'min');
  const max = wholeNumber(params, 'max');
  if (min < service.min) throw new DomainError('quantity_too_small', `Quantity less than minimal ${service.min}`);
  if (max > service.max) throw new DomainError('quantity_too_large', `Quantity more than maximum ${service.max}`);
  if (max < min) throw invalid('Field max must not be less than min');
  const oldPosts = text(params, 'old_posts') === undefined ? undefined : wholeNumber(params, 'old_posts', LIMITS.oldPosts);
  const postsRange = oldPosts ? { min: 0, max: LIMITS.posts.max } : LIMITS.posts;
  const posts = text(params, 'posts') === undefined ? 1 : wholeNumber(params, 'posts', postsRange);
  const delay = text(params, 'delay') === undefined ? 0 : wholeNumber(params, 'delay');
  if (!(SUBSCRIPTION_DELAYS as readonly number[]).includes(delay)) throw invalid(`Field delay must be one of ${SUBSCRIPTION_DELAYS.join(', ')}`);
  const expiryText = text(params, 'expiry');
  const expiry = expiryText === undefined ? undefined : readExpiry(expiryText, options.today);
  const quantity = max * (posts + (oldPosts ?? 0));
  return {
    quantity,
    extra: {
      username,
      min: String(min),
      max: String(max),
      posts: String(posts),
      ...(oldPosts !== undefined ? { old_posts: String(oldPosts) } : {}),
      delay: String(delay),
      ...(expiry !== undefined ? { expiry } : {}),
    },
    charge: priceOf(service.ratePer1000, quantity),
  };
}

/** Units the charge covers: quantity x runs for drip-feed, otherwise the quantity. */
export function orderedUnits(spec: Pick<OrderSpec, 'quantity' | 'runs'>): number {
  return spec.quantity * (spec.runs ?? 1);
}

/** The whole `add` form for the provider, except `service` (and `key`/`action`): link and quantity only where the type takes them. */
export function providerFields(spec: OrderSpec): Record<string, string> {
  return {
    ...(spec.link !== undefined ? { link: spec.link } : {}),
    ...(TAKES_QUANTITY.has(spec.type) ? { quantity: String(spec.quantity) } : {}),
    ...spec.extra,
  };
}

export interface StatusFacts {
  /** Drip-feed: the runs ordered. */
  runs?: number;
  /** Subscription: the new posts paid for. */
  posts?: number;
  /** Subscription: the expiry as forwarded (d/m/Y). */
  expiry?: string;
}

/** The fields panels add to a `status` answer beyond charge/start_count/status/remains/currency (see the header). */
export function statusExtras(type: ServiceTypeName, facts: StatusFacts): Record<string, string> {
  if (type === 'Default' && facts.runs !== undefined) return { runs: String(facts.runs) };
  if (type !== 'Subscriptions') return {};
  return { ...(facts.posts !== undefined ? { posts: String(facts.posts) } : {}), ...(facts.expiry !== undefined ? { expiry: facts.expiry } : {}) };
}

/** The status word for an order of this type: a running subscription reads `Active`, as panels show it. */
export function statusWord(type: ServiceTypeName, status: OrderStatus): string {
  return type === 'Subscriptions' && (status === 'In progress' || status === 'Processing') ? 'Active' : status;
}

// Field readers. A blank field counts as absent; JSON bodies may carry numbers, hence String().

function text(params: Params, name: string): string | undefined {
  // Own fields only: a name like `constructor` must not find Object.prototype's.
  const raw: unknown = Object.hasOwn(params, name) ? params[name] : undefined;
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  return value.length > 0 ? value : undefined;
}

function required(params: Params, name: string): string {
  const value = text(params, name);
  if (value === undefined) throw invalid(`Missing field: ${name}`);
  return value;
}

function wholeNumber(params: Params, name: string, range?: { min: number; max: number }): number {
  const value = required(params, name);
  if (!/^\d{1,15}$/.test(value)) throw invalid(`Field ${name} must be a whole number`);
  const number = Number(value);
  if (range && (number < range.min || number > range.max)) throw invalid(`Field ${name} must be between ${range.min} and ${range.max}`);
  return number;
}

function withinLimits(quantity: number, service: ServiceTerms): number {
  if (quantity < service.min) throw new DomainError('quantity_too_small', `Quantity less than minimal ${service.min}`);
  if (quantity > service.max) throw new DomainError('quantity_too_large', `Quantity more than maximum ${service.max}`);
  return quantity;
}

function quantityOf(params: Params, service: ServiceTerms): number {
  return withinLimits(wholeNumber(params, 'quantity'), service);
}

function linkOf(params: Params, type?: ServiceTypeName): string {
  return validateLink(text(params, 'link') ?? '', { username: type !== undefined && ACCOUNT_LINK_TYPES.has(type) });
}

function linkField(value: string, where: string, options: LinkOptions = {}): string {
  try {
    return validateLink(value, options);
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError('invalid_link', `${where}: ${error.message}`);
    throw error;
  }
}

/** Drip-feed when either field is given: both are then required, and the service must allow it. */
function dripfeedOf(params: Params, service: ServiceTerms): { runs: number; interval: number } | undefined {
  if (text(params, 'runs') === undefined && text(params, 'interval') === undefined) return undefined;
  if (!service.dripfeed) throw invalid('This service does not support drip-feed');
  return { runs: wholeNumber(params, 'runs', LIMITS.runs), interval: wholeNumber(params, 'interval', LIMITS.interval) };
}

function perUnit(params: Params, service: ServiceTerms, extra: Record<string, string>): Omit<OrderSpec, 'type'> {
  const link = linkOf(params);
  const quantity = quantityOf(params, service);
  return { link, quantity, extra, charge: priceOf(service.ratePer1000, quantity) };
}

function perLine(lines: string[], service: ServiceTerms): { quantity: number; charge: Micros } {
  const quantity = withinLimits(lines.length, service);
  return { quantity, charge: priceOf(service.ratePer1000, quantity) };
}

/** Splits a list field into trimmed non-empty lines (\r\n, \r and \n all end a line), each checked by `check`. */
function listOf(params: Params, name: string, separator: RegExp, check: (line: string, where: string) => string): string[] {
  const lines = required(params, name)
    .replace(/\r\n?/g, '\n')
    .split(separator)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines.length > LIMITS.lines) throw invalid(`Field ${name} has more than ${LIMITS.lines} lines`);
  return lines.map((line, index) => check(line, `Line ${index + 1} of ${name}`));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/;

function textLine(line: string, where: string): string {
  if (line.length > LIMITS.lineLength) throw invalid(`${where} is longer than ${LIMITS.lineLength} characters`);
  if (CONTROL.test(line)) throw invalid(`${where} contains control characters`);
  return line;
}

function commentLines(params: Params, name: string): string[] {
  return listOf(params, name, /\n/, textLine);
}

const USERNAME = /^@?[\p{L}\p{N}_.-]{1,100}$/u;
const HASHTAG = /^#?[\p{L}\p{N}_]{1,100}$/u;

function usernameOf(value: string, where: string): string {
  if (!USERNAME.test(value)) throw invalid(`${where} is not a username (letters, digits, _ . -, up to 100)`);
  return value;
}

function usernameLine(line: string, where: string): string {
  return usernameOf(line, where);
}

function hashtagOf(value: string, where: string): string {
  if (!HASHTAG.test(value)) throw invalid(`${where} is not a hashtag (letters, digits, _, up to 100)`);
  return value;
}

/** Usernames and hashtags cannot hold commas, so commas separate them as well as line breaks. */
function usernameList(params: Params, name: string): string {
  return listOf(params, name, /[\n,]/, usernameLine).join('\n');
}

function hashtagList(params: Params, name: string): string {
  return listOf(params, name, /[\n,]/, hashtagOf).join('\n');
}

/** d/m/Y with a real calendar date; returned as dd/mm/yyyy, the form PHP's date('d/m/Y') writes. */
function readExpiry(value: string, today: string | undefined): string {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!match) throw invalid('Field expiry must be a date as d/m/Y, for example 31/12/2026');
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw invalid(`Field expiry is not a calendar date: ${value}`);
  }
  const iso = date.toISOString().slice(0, 10);
  if (today !== undefined && iso < today) throw invalid('Field expiry must not be in the past');
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

function invalid(message: string): DomainError {
  return new DomainError('invalid_request', message);
}
