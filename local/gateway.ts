// The local API Gateway: serves the methods apiMethods() lists (the ones CDK creates), runs each route's authorizer
// as API Gateway runs a REQUEST authorizer, and calls the same handlers with REST proxy events. What it answers
// itself matches the gateway responses CDK configures: JSON {"error": ...}.
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { isIpAllowed } from '../lambdas/access/domain/caller-address.js';
import { parseIpAllowList } from '../lambdas/access/domain/ip-allow-list.js';
import { type ApiMethodSpec, apiMethods, type FunctionName, ROUTES, type RouteSpec } from '../lambdas/functions.js';
import { type CognitoAuthorizerConfig, cognitoAuthorizer } from './cognito-authorizer.js';
import { type LambdaFunction, lambdaContext, loadFunction } from './functions.js';
import { isScalar, runRequestAuthorizer } from './request-authorizer.js';

/** API Gateway's own payload limit (10 MB); larger requests get its 413 without reaching a handler. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const STAGE = 'local';

// The texts API Gateway gives, through the gateway responses in lib/codex-api.ts.
const NOT_FOUND = 'Not found';
const INTERNAL = 'Internal error, please try again later';
export const AUTHORIZER_BUSY = 'Busy right now: please try again in a moment';

interface ServedMethod extends ApiMethodSpec {
  /** Literal segments, and undefined where a `{name}` segment takes any value. */
  segments: (string | undefined)[];
  names: (string | undefined)[];
}

export interface GatewayOptions {
  port: number;
  root: string;
  /** For tests: other routes, and handlers that are not loaded from FUNCTIONS. */
  routes?: readonly RouteSpec[];
  load?: (name: FunctionName) => Promise<LambdaFunction>;
  /** Routes of the local stack only (not in ROUTES, not on AWS), answered by the gateway itself: `GET /_local/outbox`. */
  localRoutes?: Record<string, LocalRoute>;
  /** The user pool adminCognito routes trust (the local stand-in's); without one every token is refused. */
  cognito?: CognitoAuthorizerConfig;
  /**
   * Addresses and CIDR ranges that may call `/admin/...` routes (CODEX_ADMIN_ALLOWED_SOURCES); everyone when absent.
   * On AWS the API's resource policy denies the others (lib/admin-access-policy.ts).
   */
  adminAllowedSources?: readonly string[];
}

/** Answers a local-only route from its query: a JSON body. */
export type LocalRoute = (query: URLSearchParams) => { status: number; body: unknown };

function servedMethods(routes: readonly RouteSpec[]): ServedMethod[] {
  return apiMethods(routes).map((spec) => {
    const parts = spec.route.path === '/' ? [] : spec.route.path.slice(1).split('/');
    const names = parts.map((part) => /^\{(.+)\}$/.exec(part)?.[1]);
    return { ...spec, segments: parts.map((part, i) => (names[i] ? undefined : part)), names };
  });
}

/** What the gateway serves, as `METHOD /path`. */
export function servedRoutes(routes: readonly RouteSpec[] = ROUTES): string[] {
  return servedMethods(routes).map(({ method, route }) => `${method} ${route.path}`);
}

/** A request as the gateway sees it, from a socket or handed over in process (the simulation). */
export interface GatewayRequest {
  method: string;
  /** The request target as sent: `/path?query`. */
  url: string;
  /** Lower-case names; repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>;
  /** The body, read on demand (after routing, as the server reads it), or why there is none. */
  body: () => Promise<Buffer | 'aborted' | 'tooLarge'>;
  sourceIp: string;
  localPort?: number;
  httpVersion?: string;
}

export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Answers one request as the HTTP server does (undefined when the client went away mid-body): for in-process callers. */
export type GatewayDispatch = (request: GatewayRequest) => Promise<GatewayResponse | undefined>;

export function gatewayDispatch(options: Omit<GatewayOptions, 'port'>): GatewayDispatch {
  // Built at once, so a route whose auth kind has no authorizer stops the start.
  const served = servedMethods(options.routes ?? ROUTES);
  const load = options.load ?? ((name: FunctionName) => loadFunction(name, options.root));
  const verifyCognito = options.cognito ? cognitoAuthorizer(options.cognito) : () => ({ status: 401 as const, error: 'Unauthorized' as const });
  const adminSources = options.adminAllowedSources ? parseIpAllowList(options.adminAllowedSources) : undefined;
  const auth: GatewayAuth = { verifyCognito, adminSources };
  return async (request) => {
    try {
      return await handle(request, served, load, options.localRoutes ?? {}, auth);
    } catch (error) {
      log('ERROR', 'local gateway failed', { error: errorFields(error) });
      return errorResponse(502, INTERNAL);
    }
  };
}

export async function startGateway(options: GatewayOptions): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const dispatch = gatewayDispatch(options);
  const server: Server = createServer((req, res) => {
    dispatch({
      method: req.method ?? 'GET',
      url: req.url ?? '',
      headers: req.headers,
      body: () => readBody(req),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      ...(req.socket.localPort !== undefined ? { localPort: req.socket.localPort } : {}),
      httpVersion: req.httpVersion,
    }).then(
      (response) => {
        if (!response) return;
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      },
      () => res.destroy(),
    );
  });
  // Requests Node cannot parse: answered in the same shape, without a stack.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, text] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad request'];
    const body = JSON.stringify({ error: text });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: GatewayRequest,
  served: ServedMethod[],
  load: (name: FunctionName) => Promise<LambdaFunction>,
  localRoutes: Record<string, LocalRoute>,
  auth: GatewayAuth,
): Promise<GatewayResponse | undefined> {
  const method = req.method;
  const target = parseTarget(req.url);
  if (target === 'bad') return errorResponse(400, 'Bad request');
  if (target === 'none') return errorResponse(404, NOT_FOUND);
  const local = localRoutes[`${method} ${target.path}`];
  if (local) {
    const { status, body } = local(target.query);
    const text = Buffer.from(JSON.stringify(body));
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(text.length), 'cache-control': 'no-store' },
      body: text,
    };
  }
  const matches = served.map((spec) => ({ spec, params: match(spec, target.segments) })).filter((m) => m.params !== undefined);
  if (matches.length === 0) return errorResponse(404, NOT_FOUND);
  // API Gateway prefers a literal segment to a `{name}` one.
  const found = matches.filter((m) => m.spec.method === method).sort((a, b) => specificity(b.spec) - specificity(a.spec))[0];
  if (!found) return errorResponse(405, 'Method not allowed', { allow: [...new Set(matches.map((m) => m.spec.method))].join(', ') });

  if (Number(req.headers['content-length'] ?? 0) > GATEWAY_MAX_BYTES) return errorResponse(413, 'Request Too Long', { connection: 'close' });
  const body = await req.body();
  if (body === 'aborted') return void log('WARN', 'client closed the connection before its request body was complete', { method, path: target.path });
  if (body === 'tooLarge') return errorResponse(413, 'Request Too Long', { connection: 'close' });

  const { spec, params } = found;
  const requestId = randomUUID();
  const request = requestParts(req, method, target, spec, params!, requestId);
  let authorizer: Record<string, unknown> | null = null;
  let apiKey: string | null = null;
  const methodArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:local/${STAGE}/${method}${target.path}`;
  if (spec.authorizer?.type === 'cognito') {
    // As on AWS: the token first (401), then the resource policy's source allow-list (403).
    const authorization = req.headers.authorization;
    const outcome = auth.verifyCognito(Array.isArray(authorization) ? authorization.join(',') : authorization);
    if ('status' in outcome) return refusalResponse(outcome.status, outcome.error);
    authorizer = { claims: outcome.claims };
  }
  if (auth.adminSources && isAdminPath(spec.route.path) && !isIpAllowed(auth.adminSources, request.requestContext.identity.sourceIp)) {
    return refusalResponse(403, `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${methodArn} with an explicit deny`);
  }
  if (spec.authorizer?.type === 'request') {
    const name = spec.authorizer.function;
    const event: APIGatewayRequestAuthorizerEvent = {
      type: 'REQUEST',
      methodArn,
      ...request,
      requestContext: { ...request.requestContext, authorizer: undefined },
    };
    const outcome = await runRequestAuthorizer(event, async () => (await load(name))(event, lambdaContext(name, requestId)), spec.authorizer.returnsUsageKey);
    if ('failure' in outcome) {
      log('ERROR', 'authorizer failed', { function: name, error: errorFields(outcome.failure) });
      // As the deployed gateway's AUTHORIZER_CONFIGURATION_ERROR response (lib/codex-api.ts), which API Gateway gives
      // for an authorizer that threw or answered something it cannot read: "try again", not an internal error.
      return errorResponse(503, AUTHORIZER_BUSY, { 'retry-after': '1' });
    }
    if ('status' in outcome) return outcome.refusal ? refusalResponse(outcome.status, outcome.error) : errorResponse(outcome.status, outcome.error);
    authorizer = outcome.context;
    apiKey = outcome.usageKey ?? null;
  }

  const binary = !isUtf8(body);
  const event: APIGatewayProxyEvent = {
    ...request,
    body: body.length === 0 ? null : body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: body.length > 0 && binary,
    requestContext: { ...request.requestContext, authorizer, identity: { ...request.requestContext.identity, apiKey } },
  };
  let result: unknown;
  try {
    const handler = await load(spec.route.function);
    result = await handler(event, lambdaContext(spec.route.function, requestId));
  } catch (error) {
    log('ERROR', 'handler failed', { function: spec.route.function, error: errorFields(error) });
    return errorResponse(502, INTERNAL);
  }
  const response = proxyResponse(result);
  if (!response) {
    log('ERROR', 'handler returned a malformed proxy result', { function: spec.route.function });
    return errorResponse(502, INTERNAL);
  }
  return response;
}

interface GatewayAuth {
  verifyCognito: (authorization: string | undefined) => { claims: Record<string, string> } | { status: 401; error: string };
  /** Canonical allow-list entries, or undefined when every source may call the admin API. */
  adminSources: string[] | undefined;
}

const isAdminPath = (path: string) => path === '/admin' || path.startsWith('/admin/');

interface Target {
  /** As sent, percent-encoded, without the query. */
  path: string;
  /** Decoded; a single trailing slash dropped, as API Gateway REST does. */
  segments: string[];
  query: URLSearchParams;
}

/**
 * Only origin-form targets (`/path?query`) are routed. Read by hand: `new URL(target, base)` takes `//host/...` for an
 * authority and would route `//evil.example/api/v2` to /api/v2.
 */
function parseTarget(raw: string): Target | 'bad' | 'none' {
  if (!raw.startsWith('/')) return 'bad';
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '/') return { path, segments: [], query };
  const segments: string[] = [];
  for (const part of trimmed.slice(1).split('/')) {
    if (part === '') return 'none';
    try {
      segments.push(decodeURIComponent(part));
    } catch {
      return 'bad';
    }
  }
  return { path, segments, query };
}

function match(spec: ServedMethod, segments: string[]): Record<string, string> | undefined {
  if (spec.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, literal] of spec.segments.entries()) {
    if (literal === undefined) params[spec.names[i]!] = segments[i]!;
    else if (literal !== segments[i]) return undefined;
  }
  return params;
}

/** Literal segments weigh more the earlier they come. */
function specificity(spec: ServedMethod): number {
  return spec.segments.reduce<number>((sum, literal, i) => sum + (literal === undefined ? 0 : 2 ** (32 - i)), 0);
}

type RequestParts = Omit<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEvent['requestContext'], 'authorizer'>;
};

function requestParts(
  req: GatewayRequest,
  method: string,
  target: Target,
  spec: ServedMethod,
  params: Record<string, string>,
  requestId: string,
): RequestParts {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  // API Gateway sets these itself (over HTTPS there); handlers build links from them.
  const { sourceIp } = req;
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.localPort ?? '');
  for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port']) multiValueHeaders[name] = [headers[name]!];
  // Keyed by names the client chose: "__proto__" must stay a plain parameter, as API Gateway delivers it.
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of target.query) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = target.query.size > 0;
  return {
    resource: spec.route.path,
    path: target.path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(params).length > 0 ? params : null,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'local',
      protocol: `HTTP/${req.httpVersion ?? '1.1'}`,
      httpMethod: method,
      path: `/${STAGE}${target.path}`,
      stage: STAGE,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: spec.route.path,
      identity: {
        sourceIp,
        userAgent: (req.headers['user-agent'] as string | undefined) ?? null,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
  };
}

/** A Lambda proxy result as API Gateway accepts it; undefined where API Gateway answers 502. */
function proxyResponse(result: unknown): { status: number; headers: Record<string, string | string[]>; body: Buffer } | undefined {
  if (!result || typeof result !== 'object') return undefined;
  // Absent and null alike, as other runtimes' serializers write them.
  const given = result as Record<string, unknown>;
  const { statusCode } = given;
  const body = given.body ?? '';
  const isBase64Encoded = given.isBase64Encoded ?? false;
  const headers = given.headers ?? {};
  const multiValueHeaders = given.multiValueHeaders ?? {};
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (typeof body !== 'string' || typeof isBase64Encoded !== 'boolean') return undefined;
  if (typeof headers !== 'object' || typeof multiValueHeaders !== 'object') return undefined;
  const merged: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isScalar(value)) return undefined;
    merged[name.toLowerCase()] = String(value);
  }
  for (const [name, values] of Object.entries(multiValueHeaders)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
    merged[name.toLowerCase()] = values.map(String);
  }
  if (
    Object.entries(merged).some(
      ([name, value]) => !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name) || (Array.isArray(value) ? value : [value]).some((v) => /[^\t\x20-\x7e\x80-\xff]/.test(v)),
    )
  )
    return undefined;
  const bytes = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  return { status: statusCode, headers: { ...merged, 'content-length': String(bytes.length) }, body: bytes };
}

/** The gateway's own answers; a HEAD request gets the same status and headers without the body (Node drops it). */
function errorResponse(status: number, error: string, headers: Record<string, string> = {}): GatewayResponse {
  const body = Buffer.from(JSON.stringify({ error }));
  return { status, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers }, body };
}

/**
 * An authorizer's or the resource policy's refusal (API Gateway's UNAUTHORIZED and ACCESS_DENIED responses): in the
 * REST error shape the routes that meet them document, `{"error": {"code", "message"}}` (lib/codex-api.ts).
 */
function refusalResponse(status: 401 | 403, message: string): GatewayResponse {
  const body = Buffer.from(JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'forbidden', message } }));
  return {
    status,
    headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
    body,
  };
}

type Body = Buffer | 'aborted' | 'tooLarge';

/** The body, or why there is none: a client gone mid-body, or more than API Gateway takes (the rest is drained). */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume();
      resolve('tooLarge');
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}

/** One JSON line, like the functions' own logs. */
function log(level: 'WARN' | 'ERROR', message: string, fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level, message, service: 'local-gateway', timestamp: new Date().toISOString(), ...fields }));
}

const errorFields = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
