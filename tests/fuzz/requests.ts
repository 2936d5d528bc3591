// Requests for every target: bodies, queries and path parameters built from the route's contract, then broken in
// the ways clients and attackers break them, under every kind of caller.
import fc from 'fast-check';
import type * as core from 'zod/v4/core';
import {
  type AuthChoice,
  AUTH_CHOICES,
  authArbitrary,
  CONTENT_TYPES,
  hostileHeaders,
  hostileSegment,
  hostileShortString,
  hostileString,
  hostileValue,
  placeholder,
  RIGHT_AUTH,
} from './hostile.js';
import { schemaArbitrary } from './schema-arbitrary.js';
import type { Target, V2Action } from './targets.js';
import { V2_ACTIONS } from './targets.js';

export interface FuzzRequest {
  /** `METHOD /route/{path}` (and the v2 action): the target aimed at. */
  target: string;
  method: string;
  /** Path and query as sent, with placeholders. */
  url: string;
  headers: [string, string][];
  /** Text (with placeholders) or bytes as sent. */
  body?: string | Buffer;
  auth: AuthChoice;
  /** The body sent with Transfer-Encoding: chunked. */
  chunked?: boolean;
  /** How the request was broken, for the report. */
  mutations: string[];
}

type Mutated = { value: unknown; mutation: string };

/** A valid-looking object, then broken (or not). */
function mutatedObject(base: fc.Arbitrary<unknown>): fc.Arbitrary<Mutated> {
  const asRecord = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  return fc.oneof<fc.MaybeWeightedArbitrary<Mutated>[]>(
    { weight: 4, arbitrary: base.map((value): Mutated => ({ value, mutation: 'valid-ish' })) },
    {
      weight: 1,
      arbitrary: base.chain((value): fc.Arbitrary<Mutated> => {
        const keys = Object.keys(asRecord(value));
        if (keys.length === 0) return fc.constant({ value, mutation: 'valid-ish' });
        return fc.constantFrom(...keys).map((key) => {
          const { [key]: _dropped, ...rest } = asRecord(value);
          return { value: rest, mutation: `missing ${key}` };
        });
      }),
    },
    {
      weight: 3,
      arbitrary: base.chain((value) => {
        const keys = Object.keys(asRecord(value));
        return fc
          .tuple(keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('x'), hostileValue)
          .map(([key, bad]) => ({ value: { ...asRecord(value), [key]: bad }, mutation: `hostile ${key}` }));
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom('extra', '__proto__', 'constructor', 'admin', 'role', 'balance', 'ownerId'), hostileValue)
        .map(([value, key, bad]) => ({ value: { ...asRecord(value), [key]: bad }, mutation: `extra ${key}` })),
    },
    {
      weight: 1,
      arbitrary: base.map((value) => ({
        value: Object.fromEntries(
          Object.entries(asRecord(value)).map(([k, v]) => [
            k,
            typeof v === 'number' ? String(v) : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
          ]),
        ),
        mutation: 'numbers and strings swapped',
      })),
    },
    {
      weight: 1,
      arbitrary: base.map((value) => ({
        value: Object.fromEntries(Object.entries(asRecord(value)).map(([k, v]) => [k, [v]])),
        mutation: 'arrays for scalars',
      })),
    },
    { weight: 1, arbitrary: hostileValue.map((value) => ({ value, mutation: 'not an object' })) },
  );
}

/** JSON text with raw() values written as they are. */
export function jsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"⟦raw:((?:[^⟧\\]|\\.)*)⟧"/g, (_, text: string) => JSON.parse(`"${text}"`) as string);
}

/** The body as the operation reads it. */
function naturalBody(value: unknown, form: boolean): { body: string; contentType: string; mutation: string } {
  if (!form) return { body: jsonText(value), contentType: 'application/json', mutation: 'valid-ish' };
  const record = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  const body = new URLSearchParams(Object.entries(record).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : jsonText(v)])).toString();
  return { body, contentType: 'application/x-www-form-urlencoded', mutation: 'valid-ish' };
}

/** The body on the wire: mostly as the operation reads it, sometimes in another encoding or broken. */
function encodedBody(value: unknown, form: boolean): fc.Arbitrary<{ body: string | Buffer; contentType: string; mutation: string }> {
  const json = jsonText(value);
  const record = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  const formText = new URLSearchParams(Object.entries(record).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : jsonText(v)])).toString();
  const natural = form ? { body: formText, contentType: 'application/x-www-form-urlencoded' } : { body: json, contentType: 'application/json' };
  return fc.oneof(
    { weight: 200, arbitrary: fc.constant({ ...natural, mutation: 'encoded' }) },
    {
      weight: 20,
      arbitrary: fc
        .constantFrom(...CONTENT_TYPES)
        .map((contentType) => ({ body: natural.body, contentType, mutation: `content-type ${contentType || 'empty'}` })),
    },
    {
      weight: 20,
      arbitrary: fc.tuple(fc.constantFrom(...Object.keys(record), 'service'), hostileValue).map(([key, bad]) => ({
        // Two values for one key: JSON.parse keeps the last, a form the first or last, depending on the reader.
        body: form
          ? `${formText}&${encodeURIComponent(key)}=${encodeURIComponent(typeof bad === 'string' ? bad : jsonText(bad))}`
          : json.replace(/^\{/, `{${JSON.stringify(key)}:${jsonText(bad)},`),
        contentType: natural.contentType,
        mutation: `duplicate ${key}`,
      })),
    },
    {
      weight: 20,
      arbitrary: fc.integer({ min: 0, max: Math.max(json.length - 1, 0) }).map((cut) => ({
        body: natural.body.slice(0, cut),
        contentType: natural.contentType,
        mutation: 'truncated',
      })),
    },
    {
      weight: 20,
      arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80])).map((bad) => ({
        body: Buffer.concat([Buffer.from(natural.body.slice(0, 8)), bad, Buffer.from(natural.body.slice(8))]),
        contentType: natural.contentType,
        mutation: 'invalid UTF-8',
      })),
    },
    {
      weight: 20,
      arbitrary: fc.constantFrom(65 * 1024, 300 * 1024).map((size) => ({
        body: form ? `${formText}&pad=${'p'.repeat(size)}` : json.replace(/^\{/, `{"pad":"${'p'.repeat(size)}",`),
        contentType: natural.contentType,
        mutation: `oversized ${size}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({ body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), contentType: natural.contentType, mutation: 'over the gateway limit' }),
    },
  );
}

function queryArbitrary(schema: core.$ZodType | undefined, clean: boolean): fc.Arbitrary<{ query: string; mutation: string }> {
  const valid = schema ? schemaArbitrary(schema).map((value) => ({ value, mutation: 'valid-ish' })) : fc.constant({ value: {}, mutation: 'none' });
  const base = clean ? valid : schema ? mutatedObject(schemaArbitrary(schema)) : valid;
  const junk = clean
    ? fc.constant([] as [string, string][])
    : fc.array(fc.tuple(fc.constantFrom('limit', 'cursor', '__proto__', 'q', 'a', 'format', 'status', 'from'), hostileShortString), {
        maxLength: 3,
      });
  return fc.tuple(base, junk, clean ? fc.constant(false) : fc.boolean()).map(([{ value, mutation }, extra, percentJunk]) => {
    const pairs: [string, string][] = [];
    const record = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
    for (const [k, v] of Object.entries(record)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) pairs.push([k, typeof item === 'string' ? item : jsonText(item)]);
    }
    pairs.push(...extra);
    const text = new URLSearchParams(pairs)
      .toString()
      .replace(/%E2%9F%A6/g, '⟦')
      .replace(/%E2%9F%A7/g, '⟧');
    return { query: `${text}${percentJunk ? '&%%%=%ZZ' : ''}`, mutation: `query ${mutation}${extra.length > 0 ? ' +junk' : ''}` };
  });
}

const ID_PLACEHOLDERS: Record<string, string[]> = {
  id: ['order', 'decoyUser', 'topUp', 'decoyKey', 'delivery', 'reconciliation', 'decoyService'],
  keyId: ['decoyKey'],
  providerId: ['provider'],
  code: ['promo'],
  asset: ['asset'],
};

function segmentArbitrary(name: string, schema: core.$ZodType | undefined, clean: boolean): fc.Arbitrary<string> {
  const valid = schema ? schemaArbitrary(schema).map((v) => encodeURIComponent(String(v))) : fc.string({ minLength: 1, maxLength: 8 }).map(encodeURIComponent);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(ID_PLACEHOLDERS[name] ?? ['order'])).map(placeholder) },
    { weight: 2, arbitrary: valid.filter((s) => s.length > 0) },
    { weight: clean ? 0 : 2, arbitrary: hostileSegment },
  );
}

function pathArbitrary(target: Target, clean: boolean): fc.Arbitrary<{ path: string; mutation: string }> {
  const names = [...target.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const shape = (target.operation?.params as unknown as { _zod?: { def: { shape?: Record<string, core.$ZodType> } } } | undefined)?._zod?.def.shape;
  const tails = clean ? fc.constant('') : fc.constantFrom('', '', '', '', '/', '//');
  return fc.tuple(fc.tuple(...names.map((name) => segmentArbitrary(name, shape?.[name], clean))), tails).map(([values, tail]) => {
    let i = 0;
    const path = target.path.replace(/\{[^}]+\}/g, () => values[i++]!);
    return { path: tail === '//' ? path.replace(/^\//, '//') : `${path}${tail}`, mutation: tail ? `path ${tail}` : 'path' };
  });
}

/**
 * A request to the target: `clean` ones (the right caller, a body, query and path as the contract describes, no odd
 * headers) get past the door and reach the use cases; the others are broken in one or more places.
 */
export function restRequest(target: Target, clean = false): fc.Arbitrary<FuzzRequest> {
  const op = target.operation;
  const hasBody = Boolean(op?.body) || target.method === 'POST' || target.method === 'PUT' || target.method === 'PATCH';
  const bodyArb =
    op?.body && clean
      ? schemaArbitrary(op.body).map((value) => naturalBody(value, op.bodyFormat === 'form'))
      : clean
        ? fc.constant({ body: '', contentType: '', mutation: 'no body' })
        : op?.body
          ? mutatedObject(schemaArbitrary(op.body)).chain(({ value, mutation }) =>
              encodedBody(value, op.bodyFormat === 'form').map((b) => ({ ...b, mutation: `${mutation}, ${b.mutation}` })),
            )
          : hasBody
            ? fc.constantFrom(
                { body: '', contentType: '', mutation: 'no body' },
                { body: '{"a":1}', contentType: 'application/json', mutation: 'unexpected body' },
              )
            : fc.constantFrom({ body: '', contentType: '', mutation: 'no body' }, { body: 'x=1', contentType: 'text/plain', mutation: 'body on GET' });
  const headerSchema = op?.headers;
  const operationHeaders = headerSchema
    ? (clean ? schemaArbitrary(headerSchema).map((value) => ({ value })) : mutatedObject(schemaArbitrary(headerSchema))).map(({ value }) =>
        Object.entries(value && typeof value === 'object' ? (value as Record<string, unknown>) : {})
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(typeof v === 'string' ? v : jsonText(v)).replace(/[\r\n]/g, ' ')] as [string, string]),
      )
    : fc.constant([] as [string, string][]);
  return fc
    .record({
      path: pathArbitrary(target, clean),
      query: queryArbitrary(op?.query, clean),
      body: bodyArb,
      auth: clean ? fc.constantFrom(...(RIGHT_AUTH[target.auth] ?? ['none'])) : authArbitrary(target.auth),
      headers: clean ? fc.constant([] as [string, string][]) : hostileHeaders,
      operationHeaders,
    })
    .map(({ path, query, body, auth, headers, operationHeaders }) => ({
      target: `${target.method} ${target.path}`,
      method: target.method,
      url: `${path.path}${query.query ? `?${query.query}` : ''}`,
      headers: [
        ...AUTH_CHOICES[auth].map(([k, v]) => [k, v] as [string, string]),
        ...(body.contentType ? [['content-type', body.contentType] as [string, string]] : []),
        ...operationHeaders,
        ...headers,
      ],
      ...(body.body.length > 0 ? { body: body.body } : {}),
      auth,
      mutations: [...(clean ? ['clean'] : []), path.mutation, query.mutation, body.mutation, ...headers.map(([name]) => `header ${name}`)],
    }));
}

const orderId = fc.oneof(fc.constant(placeholder('order')), fc.integer({ min: 1, max: 10 ** 9 }).map(String), hostileString);
const idList = fc.oneof(
  fc.array(orderId, { minLength: 1, maxLength: 5 }).map((ids) => ids.join(',')),
  fc.constantFrom('', ',,,', '1,1,1', Array.from({ length: 101 }, (_, i) => i + 1).join(','), '__proto__,constructor', ' 1 , 2 '),
);

const V2_FIELDS: Record<V2Action, fc.Arbitrary<Record<string, unknown>>> = {
  add: fc.record(
    {
      service: fc.oneof(fc.integer({ min: 1, max: 15 }), hostileValue),
      link: fc.oneof(fc.webUrl(), fc.constantFrom('https://instagram.com/codex_fuzz', 'codex_fuzz'), hostileString),
      quantity: fc.oneof(fc.integer({ min: 1, max: 2000 }), hostileValue),
      runs: fc.oneof(fc.integer({ min: 0, max: 20 }), hostileValue),
      interval: fc.oneof(fc.integer({ min: 0, max: 60 }), hostileValue),
      comments: fc.oneof(
        fc.array(fc.string(), { maxLength: 6 }).map((c) => c.join('\n')),
        hostileString,
      ),
      usernames: fc.array(fc.string(), { maxLength: 4 }).map((u) => u.join('\n')),
      request_id: fc.oneof(fc.uuid(), hostileString),
    },
    { requiredKeys: ['service', 'link', 'quantity'] },
  ),
  status: fc.record({ order: orderId }),
  'multi-status': fc.record({ orders: idList }),
  cancel: fc.oneof(fc.record({ orders: idList }), fc.record({ order: orderId })),
  refill: fc.oneof(fc.record({ order: orderId }), fc.record({ orders: idList })),
  refill_status: fc.oneof(fc.record({ refill: fc.oneof(fc.constant(placeholder('refill')), orderId) }), fc.record({ refills: idList })),
  services: fc.constant({}),
  balance: fc.constant({}),
  unknown: fc.constant({}),
  none: fc.oneof(fc.constant({}), fc.record({ order: orderId }), fc.record({ refills: idList })),
};

const KEY_PLACEMENTS = ['body', 'body', 'body', 'header', 'bearer', 'none', 'junk', 'revoked', 'both', 'duplicate body'] as const;

export function v2Request(target: Target): fc.Arbitrary<FuzzRequest> {
  return fc
    .constantFrom(...V2_ACTIONS)
    .chain((action) =>
      fc.record({
        action: fc.constant(action),
        fields: mutatedObject(V2_FIELDS[action]),
        unknownAction: fc.oneof(fc.constantFrom('ADD', ' Status ', 'delete', 'services\u0000', '__proto__'), hostileString),
        key: fc.constantFrom(...KEY_PLACEMENTS),
        encoding: fc.constantFrom('form', 'form', 'json', 'multipart', 'query'),
        broken: fc.oneof(
          { weight: 6, arbitrary: fc.constant('none') },
          { weight: 1, arbitrary: fc.constantFrom('truncated', 'invalid UTF-8', 'oversized', 'nested object', 'top-level array', 'duplicate key') },
        ),
        headers: hostileHeaders,
      }),
    )
    .filter(({ encoding }) => target.method === 'POST' || encoding === 'query')
    .map(({ action, fields, unknownAction, key, encoding, broken, headers }) => {
      const params: Record<string, unknown> = {};
      if (action === 'multi-status') params.action = 'status';
      else if (action === 'unknown') params.action = unknownAction;
      else if (action !== 'none') params.action = action;
      const record =
        fields.value && typeof fields.value === 'object' && !Array.isArray(fields.value) ? (fields.value as Record<string, unknown>) : { x: fields.value };
      Object.assign(params, record);
      const auth: AuthChoice =
        key === 'header' || key === 'both' ? 'resellerKey' : key === 'bearer' ? 'resellerBearer' : key === 'revoked' ? 'revokedKey' : 'none';
      if (key === 'body' || key === 'both' || key === 'duplicate body') params.key = placeholder('resellerKey');
      if (key === 'junk') params.key = 'junk-key-0000';
      const text = (v: unknown) => (typeof v === 'string' ? v : jsonText(v));
      let body: string | Buffer = '';
      let contentType = '';
      let query = '';
      if (encoding === 'query') query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, text(v)])).toString();
      else if (encoding === 'form') {
        body = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, text(v)])).toString();
        if (key === 'duplicate body') body += '&key=junk';
        contentType = 'application/x-www-form-urlencoded';
      } else if (encoding === 'json') {
        body = jsonText(params);
        if (key === 'duplicate body') body = body.replace(/^\{/, '{"key":"junk",');
        contentType = 'application/json';
      } else {
        body = `${Object.entries(params)
          .map(([k, v]) => `--fuzz\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${text(v)}\r\n`)
          .join('')}--fuzz--\r\n`;
        contentType = 'multipart/form-data; boundary=fuzz';
      }
      if (broken === 'truncated' && typeof body === 'string') body = body.slice(0, Math.floor(body.length / 2));
      if (broken === 'invalid UTF-8') body = Buffer.concat([Buffer.from(body), Buffer.from([0xff, 0xc0, 0x80])]);
      if (broken === 'oversized') body = `${body}&pad=${'p'.repeat(70 * 1024)}`;
      if (broken === 'nested object') ({ body, contentType } = { body: jsonText({ ...params, service: { nested: [1] } }), contentType: 'application/json' });
      if (broken === 'top-level array') ({ body, contentType } = { body: jsonText([params]), contentType: 'application/json' });
      if (broken === 'duplicate key' && typeof body === 'string') body = `${body}&action=balance&action=add`;
      return {
        target: `${target.method} /api/v2 ${action}`,
        method: target.method,
        url: `${target.path}${query ? `?${query.replace(/%E2%9F%A6/g, '⟦').replace(/%E2%9F%A7/g, '⟧')}` : ''}`,
        headers: [
          ...AUTH_CHOICES[auth].map(([k, v]) => [k, v] as [string, string]),
          ...(contentType ? [['content-type', contentType] as [string, string]] : []),
          ...headers,
        ],
        ...(body.length > 0 ? { body } : {}),
        auth,
        mutations: [`${encoding}`, `key ${key}`, fields.mutation, broken, ...headers.map(([name]) => `header ${name}`)],
      };
    });
}

/** The same request with its body sent chunked. */
const chunkedSometimes = (request: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<FuzzRequest> =>
  fc.tuple(request, fc.nat(19)).map(([r, n]) => (n === 0 && r.body !== undefined ? { ...r, chunked: true, mutations: [...r.mutations, 'chunked'] } : r));

/** A route's path with a method it does not serve (or no method API Gateway knows). */
function wrongMethod(target: Target): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(restRequest(target), fc.constantFrom('OPTIONS', 'TRACE', 'PROPFIND', 'PURGE', 'PUT', 'DELETE', 'PATCH', 'POST', 'GET'))
    .map(([request, method]) => ({ ...request, method, mutations: [`method ${method}`, ...request.mutations] }));
}

export function requestArbitrary(targets: readonly Target[]): fc.Arbitrary<FuzzRequest> {
  const v2 = targets.filter((t) => t.family === 'v2');
  const rest = targets.filter((t) => t.family !== 'v2');
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...targets).chain(wrongMethod) },
    { weight: 9, arbitrary: chunkedSometimes(fc.constantFrom(...rest).chain((target) => restRequest(target))) },
    { weight: 4, arbitrary: fc.constantFrom(...rest).chain((target) => restRequest(target, true)) },
    { weight: 4, arbitrary: chunkedSometimes(fc.constantFrom(...v2).chain(v2Request)) },
  );
}
