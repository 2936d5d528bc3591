// Hostile pieces of a request: values, path segments, headers and credentials that clients and attackers send.
// Credentials and ids of the world are placeholders (⟦name⟧), filled in when the request is sent, so a generated
// request (and its seed) means the same in every run.
import fc from 'fast-check';

/** A value written into JSON as is (`1e309`, `NaN`): JSON.stringify cannot produce them. */
export const raw = (text: string) => `⟦raw:${text}⟧`;

export const placeholder = (name: string) => `⟦${name}⟧`;

/** Deeply nested arrays and objects. */
const deep = fc.integer({ min: 20, max: 3000 }).map((n) => raw(`${'['.repeat(n)}${']'.repeat(n)}`));

export const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u202e\u0000💥',
    '\ud800',
    '\r\n\t\u0007\u001b[31m',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '\u0024{jndi:ldap://127.0.0.1/x}',
    '../../../etc/passwd',
    '__proto__',
    'constructor',
    'null',
    'undefined',
    'NaN',
    'Infinity',
    '-1',
    '0',
    '1e3',
    '0x10',
    ' 12 ',
    '12.50',
    '-0.01',
    '999999999999999999999999',
    'http://169.254.169.254/latest/meta-data/',
    'javascript:alert(1)',
    'a@b',
    '%00',
    '%s%s%n',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: 300, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

/** The same, short enough for a header or a query (Node answers 431 past 16 KB of them, before any route). */
export const hostileShortString = hostileString.filter((s) => s.length < 4000);

const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e21, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0.1 + 0.2, 1e-7),
  fc.constantFrom(raw('1e309'), raw('-1e309'), raw('NaN'), raw('Infinity'), raw('1E400'), raw('-0.0'), raw('00012'), raw('1.')),
  fc.double(),
  fc.integer(),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [1, 2], ['a'], { a: 1 }, JSON.parse('{"__proto__": {"admin": true}, "constructor": 1}')) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(placeholder('order'), placeholder('decoyUser'), placeholder('topUp'), placeholder('refreshToken')) },
);

/** Path parameter values, percent-encoded as a client would put them in the path (or would not). */
export const hostileSegment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E%2E%2Fadmin',
    '%00',
    'a%00b',
    '%2F',
    'a%2Fb',
    '%ZZ',
    '%',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    '-1',
    '0',
    '1e5',
    '1.5',
    '99999999999999999999',
    '%E2%80%AE',
    '%F0%9F%92%A5',
    '%C0%AF',
    '%FF',
    '%20',
    '%0D%0ASet-Cookie:x',
    'null',
    'tu_0000000000000000000000000000',
    'rec_0',
    'demo',
  ),
  fc.integer({ min: 200, max: 9000 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(encodeURIComponent),
  fc.integer({ min: 1, max: 10 ** 12 }).map(String),
);

/** Authorization and key headers, right or wrong for the route: every kind of caller, and broken ones. */
export const AUTH_CHOICES = {
  none: [],
  customer: [['authorization', `Bearer ${placeholder('customer')}`]],
  customerApiKey: [['x-api-key', placeholder('resellerKey')]],
  customerApiKeyAuthorization: [['authorization', `ApiKey ${placeholder('resellerKey')}`]],
  resellerKey: [['x-api-key', placeholder('resellerKey')]],
  resellerBearer: [['authorization', `Bearer ${placeholder('resellerKey')}`]],
  revokedKey: [['x-api-key', placeholder('revokedKey')]],
  admin: [['authorization', `Bearer ${placeholder('admin')}`]],
  operator: [['authorization', `Bearer ${placeholder('operator')}`]],
  adminExpired: [['authorization', `Bearer ${placeholder('adminExpired')}`]],
  adminForged: [['authorization', `Bearer ${placeholder('adminForged')}`]],
  adminNoGroup: [['authorization', `Bearer ${placeholder('adminNoGroup')}`]],
  adminAccessToken: [['authorization', `Bearer ${placeholder('adminAccessToken')}`]],
  customerTampered: [['authorization', `Bearer ${placeholder('customerTampered')}`]],
  customerAlgNone: [['authorization', `Bearer ${placeholder('customerAlgNone')}`]],
  adminBare: [['authorization', placeholder('admin')]],
  malformedJwt: [['authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x']],
  emptyBearer: [['authorization', 'Bearer ']],
  basic: [['authorization', 'Basic Zm9vOmJhcg==']],
  junkKey: [['x-api-key', 'sk_live_0000000000000000000000000000']],
  gatewayKey: [['x-api-key', 'codex-local-shared-gateway-key']],
  duplicateAuthorization: [
    ['authorization', `Bearer ${placeholder('customer')}`],
    ['authorization', `Bearer ${placeholder('admin')}`],
  ],
  duplicateApiKey: [
    ['x-api-key', placeholder('resellerKey')],
    ['x-api-key', 'junk'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type AuthChoice = keyof typeof AUTH_CHOICES;

/** The credentials that fit each auth kind of ROUTES: picked half the time, so requests get past the door. */
export const RIGHT_AUTH: Record<string, AuthChoice[]> = {
  none: ['none'],
  customerJwt: ['customer', 'customer', 'customer', 'customerApiKey', 'customerApiKeyAuthorization'],
  adminCognito: ['admin', 'admin', 'operator'],
  resellerKey: ['none'],
};

export const authArbitrary = (routeAuth: string): fc.Arbitrary<AuthChoice> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...(Object.keys(AUTH_CHOICES) as AuthChoice[])) },
    { weight: 1, arbitrary: fc.constantFrom(...(RIGHT_AUTH[routeAuth] ?? ['none'])) },
  );

const headerValue = fc.oneof(
  hostileShortString.filter((s) => !/[\r\n]/.test(s)),
  fc.constantFrom('\u0001', 'a\u007fb', 'é', '😀'),
);

/** Extra headers, each header a [name, value] pair; names may repeat. */
export const hostileHeaders: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 24, arbitrary: fc.constant([] as [string, string][]) },
  {
    weight: 3,
    arbitrary: fc.array(
      fc.oneof(
        fc.tuple(fc.constant('x-forwarded-for'), fc.constantFrom('not-an-ip', '1.2.3.4, evil', '::1', '999.1.1.1', `${'1.1.1.1,'.repeat(300)}1.1.1.1`, '')),
        fc.tuple(fc.constant('idempotency-key'), fc.oneof(fc.constantFrom('', ' ', 'x'.repeat(129), 'key\u0000', '💥'), fc.uuid(), headerValue)),
        fc.tuple(fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'sign', 'x-signature'), headerValue),
        fc.tuple(fc.constantFrom('if-none-match', 'user-agent', 'accept', 'origin', 'cookie', 'x-amzn-trace-id', 'x-request-id'), headerValue),
        fc.tuple(fc.constantFrom('__proto__', 'constructor', 'content-length-junk'), fc.constant('1')),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.constant([['x-huge', 'h'.repeat(20_000)]] as [string, string][]) },
);

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/vnd.api+json',
  'application/json; charset=utf-16',
  '',
  '*/*',
] as const;
