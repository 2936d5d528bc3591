// The local gateway in this process, with recording stand-ins for the v2 handler and the authorizer and the real
// health handler: its routing, its own answers and its authorizer calls, over real HTTP and raw sockets.
import { connect } from 'node:net';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { FunctionName, RouteSpec } from '../../lambdas/functions.js';
import { type LambdaFunction, loadFunction } from '../../local/functions.js';
import { AUTHORIZER_BUSY, servedRoutes, startGateway } from '../../local/gateway.js';
import { REPO_ROOT } from '../../local/stack.js';

const INTERNAL = { error: 'Internal error, please try again later' };
const allow = (event: APIGatewayRequestAuthorizerEvent): APIGatewayAuthorizerResult => ({
  principalId: 'owner-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
  usageIdentifierKey: 'usage-key-1',
  context: { ownerId: 'owner-1', tierLimit: 120, active: true },
});

let calls: { name: FunctionName; event: any }[];
let authorizerAnswer: (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;
let v2Answer: () => Promise<unknown>;
const ok = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });

async function load(name: FunctionName): Promise<LambdaFunction> {
  if (name === 'health') {
    const health = await loadFunction('health', REPO_ROOT);
    return async (event) => {
      calls.push({ name, event });
      return health(event);
    };
  }
  return async (event) => {
    calls.push({ name, event });
    return name === 'apiAuthorizer' ? authorizerAnswer(event as APIGatewayRequestAuthorizerEvent) : v2Answer();
  };
}

let gateway: Awaited<ReturnType<typeof startGateway>>;
let logged: MockInstance;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, root: REPO_ROOT, load });
});
afterAll(() => gateway?.close());
beforeEach(() => {
  calls = [];
  authorizerAnswer = async (event) => allow(event);
  v2Answer = ok;
  logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Sends bytes as they are (fetch would normalize the target) and reads the whole answer. */
function raw(
  request: string | Buffer,
  options: { abortAfterWrite?: boolean } = {},
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(gateway.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request, () => {
      if (options.abortAfterWrite) setTimeout(() => socket.destroy(), 50);
    });
  });
}
const get = (target: string, method = 'GET') => raw(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

const noStack = () => expect(logged.mock.calls.flat().join('\n')).not.toMatch(/\n\s+at /);

describe('the routes the local gateway serves', () => {
  it('are GET, HEAD and POST on /api/v2, GET and HEAD on /health, and the REST API v1 under /api/v1', () => {
    const served = servedRoutes();
    expect(served.filter((r) => !r.includes(' /api/v1/') && !r.includes(' /admin/v1/')).sort()).toEqual([
      'GET /api/v2',
      'GET /health',
      'HEAD /api/v2',
      'HEAD /health',
      'POST /api/v2',
    ]);
    expect(served).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/orders', 'HEAD /api/v1/orders', 'POST /api/v1/top-ups']));
  });
});

describe('request targets that name no route', () => {
  it.each([
    ['//', 404],
    ['//:99999/x', 404],
    ['//[::1/x', 404],
    ['//%zz/', 404],
    ['/%zz', 400],
    ['//evil.example/api/v2', 404],
    ['/api//v2', 404],
    ['/api%2Fv2', 404],
    ['/nowhere', 404],
    ['http://evil.example/api/v2', 400],
    ['http://127.0.0.1/health', 400],
    ['*', 400],
  ])('%s gets %i as JSON {"error": ...}, reaches no handler and logs no stack', async (target, status) => {
    const answer = await get(target);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ error: status === 404 ? 'Not found' : 'Bad request' });
    expect(calls).toEqual([]);
    noStack();
  });

  it('a request Node cannot parse gets 400 as JSON too', async () => {
    const answer = await raw('GET /health HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'Bad request' });
    noStack();
  });
});

describe("the gateway's own answers", () => {
  it('a known path with a method it does not serve gets 405 and the methods it does', async () => {
    const answer = await get('/health', 'DELETE');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(answer.body)).toEqual({ error: 'Method not allowed' });
    expect(calls).toEqual([]);
  });

  it('a body over 10 MB gets 413, whether announced or streamed, and reaches no handler', async () => {
    const announced = await raw(`POST /api/v2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n`);
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body)).toEqual({ error: 'Request Too Long' });
    const streamed = await raw(
      Buffer.concat([
        Buffer.from('POST /api/v2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'),
        ...Array.from({ length: 11 }, () => Buffer.from(`100000\r\n${'a'.repeat(0x100000)}\r\n`)),
        Buffer.from('0\r\n\r\n'),
      ]),
    );
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toEqual({ error: 'Request Too Long' });
    expect(calls).toEqual([]);
  });

  it('a handler that throws gets 502', async () => {
    v2Answer = async () => {
      throw new Error('boom');
    };
    const answer = await fetch(`${gateway.url}/api/v2`, { method: 'POST', body: 'action=balance' });
    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual(INTERNAL);
  });

  it.each([
    ['no status', { body: '{}' }],
    ['a status out of range', { statusCode: 99, body: '' }],
    ['a body that is not a string', { statusCode: 200, body: { ok: true } }],
    ['a header value that is an object', { statusCode: 200, headers: { 'x-a': { b: 1 } }, body: '' }],
    ['a header value with a line break', { statusCode: 200, headers: { 'x-a': 'b\r\nset-cookie: c' }, body: '' }],
    ['nothing at all', undefined],
  ])('a handler result with %s gets 502', async (_, result) => {
    v2Answer = async () => result;
    const answer = await fetch(`${gateway.url}/api/v2`, { method: 'POST', body: 'action=balance' });
    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual(INTERNAL);
  });

  it('a client that leaves mid-body costs one WARN line and no stack, and reaches no handler', async () => {
    await raw('POST /api/v2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\naction=bal', { abortAfterWrite: true });
    await vi.waitFor(() => expect(logged).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 100));
    expect(logged).toHaveBeenCalledTimes(1);
    const line = String(logged.mock.calls[0]![0]);
    expect(line.split('\n')).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ level: 'WARN', method: 'POST', path: '/api/v2' });
    expect(calls).toEqual([]);
  });
});

describe('HEAD', () => {
  it('answers wherever GET does, with the same status and headers and no body', async () => {
    for (const target of ['/health', '/api/v2?action=balance']) {
      const [getAnswer, headAnswer] = [await get(target), await get(target, 'HEAD')];
      expect(headAnswer.status, target).toBe(200);
      expect(headAnswer.status).toBe(getAnswer.status);
      const { date: _a, ...getHeaders } = getAnswer.headers;
      const { date: _b, ...headHeaders } = headAnswer.headers;
      expect(headHeaders, target).toEqual(getHeaders);
      expect(getAnswer.body.length).toBeGreaterThan(0);
      expect(headAnswer.body, target).toBe('');
    }
    expect(calls.filter((c) => c.name !== 'apiAuthorizer').map((c) => c.event.httpMethod)).toEqual(['GET', 'HEAD', 'GET', 'HEAD']);
  });

  it("gets the gateway's own answers without a body too", async () => {
    const answer = await get('/nowhere', 'HEAD');
    expect(answer.status).toBe(404);
    expect(answer.body).toBe('');
  });
});

describe('routing', () => {
  it('serves /api/v2/ and /health/ like /api/v2 and /health, without redirecting', async () => {
    for (const target of ['/api/v2/', '/health/']) {
      const answer = await fetch(`${gateway.url}${target}`, { redirect: 'manual' });
      expect(answer.status, target).toBe(200);
    }
    expect(calls.filter((c) => c.name !== 'apiAuthorizer').map((c) => [c.event.resource, c.event.path])).toEqual([
      ['/api/v2', '/api/v2/'],
      ['/health', '/health/'],
    ]);
  });

  it('passes {name} segments decoded in pathParameters, with the template as resource, preferring literal segments', async () => {
    const routes: RouteSpec[] = [
      { methods: ['GET'], path: '/orders/{orderId}/refills/{refillId}', auth: 'none', function: 'health' },
      { methods: ['GET'], path: '/orders/{orderId}', auth: 'none', function: 'health' },
      { methods: ['GET'], path: '/orders/mine', auth: 'none', function: 'health' },
    ];
    const own = await startGateway({ port: 0, root: REPO_ROOT, routes, load });
    try {
      for (const target of ['/orders/a%20b%2Fc', '/orders/mine', '/orders/7/refills/9?x=1'])
        expect((await fetch(`${own.url}${target}`)).status, target).toBe(200);
    } finally {
      await own.close();
    }
    expect(calls.map((c) => [c.event.resource, c.event.path, c.event.pathParameters])).toEqual([
      ['/orders/{orderId}', '/orders/a%20b%2Fc', { orderId: 'a b/c' }],
      ['/orders/mine', '/orders/mine', null],
      ['/orders/{orderId}/refills/{refillId}', '/orders/7/refills/9', { orderId: '7', refillId: '9' }],
    ]);
  });
});

describe('the authorizer of /api/v2, run as API Gateway runs a REQUEST authorizer', () => {
  it('gets the request, and its context reaches the handler in requestContext.authorizer', async () => {
    const answer = await fetch(`${gateway.url}/api/v2/?action=balance`, { method: 'POST', headers: { 'x-api-key': 'cdx_header' }, body: 'a=1' });
    expect(answer.status).toBe(200);
    expect(calls.map((c) => c.name)).toEqual(['apiAuthorizer', 'resellerApi']);
    const authorizerEvent = calls[0]!.event as APIGatewayRequestAuthorizerEvent;
    expect(authorizerEvent).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/local/POST/api/v2/',
      resource: '/api/v2',
      path: '/api/v2/',
      httpMethod: 'POST',
      headers: expect.objectContaining({ 'x-api-key': 'cdx_header' }),
      multiValueHeaders: expect.objectContaining({ 'x-api-key': ['cdx_header'] }),
      queryStringParameters: { action: 'balance' },
      pathParameters: null,
      requestContext: expect.objectContaining({
        resourcePath: '/api/v2',
        httpMethod: 'POST',
        stage: 'local',
        identity: expect.objectContaining({ apiKey: null }),
      }),
    });
    expect(authorizerEvent).not.toHaveProperty('body');
    const event = calls[1]!.event as APIGatewayProxyEvent;
    expect(event.requestContext.authorizer).toEqual({
      ownerId: 'owner-1',
      tierLimit: '120',
      active: 'true',
      principalId: 'owner-1',
      integrationLatency: expect.any(Number),
    });
    expect(event.requestContext.identity.apiKey).toBe('usage-key-1');
    expect(event.requestContext.requestId).toBe(authorizerEvent.requestContext.requestId);
  });

  it.each([
    [
      'an explicit Deny',
      403,
      'User is not authorized to access this resource with an explicit deny',
      async (e: APIGatewayRequestAuthorizerEvent) => ({
        ...allow(e),
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: 'arn:aws:execute-api:*' }] },
      }),
    ],
    [
      'an Allow of another method',
      403,
      'User is not authorized to access this resource',
      async (e: APIGatewayRequestAuthorizerEvent) => ({
        ...allow(e),
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: e.methodArn.replace('/POST/', '/GET/') }],
        },
      }),
    ],
    [
      'no usage key where the API counts usage by it',
      403,
      'Forbidden',
      async (e: APIGatewayRequestAuthorizerEvent) => ({ ...allow(e), usageIdentifierKey: undefined }),
    ],
    ['the error "Unauthorized"', 401, 'Unauthorized', async () => Promise.reject(new Error('Unauthorized'))],
    ['any other error (a busy store)', 503, AUTHORIZER_BUSY, async () => Promise.reject(new Error('table unreachable'))],
    ['a context holding an object', 503, AUTHORIZER_BUSY, async (e: APIGatewayRequestAuthorizerEvent) => ({ ...allow(e), context: { nested: { a: 1 } } })],
  ])('refuses on %s with %i, and the handler never runs', async (_, status, message, answer) => {
    authorizerAnswer = answer as (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;
    const response = await fetch(`${gateway.url}/api/v2`, { method: 'POST', body: 'action=balance' });
    expect(response.status).toBe(status);
    if (status === 503) expect(response.headers.get('retry-after')).toBe('1');
    // The authorizer's own refusals in the REST error shape (API Gateway's UNAUTHORIZED and ACCESS_DENIED responses, lib/codex-api.ts).
    const refusal = (status === 401 || status === 403) && message !== 'Forbidden';
    expect(await response.json()).toEqual(refusal ? { error: { code: status === 401 ? 'unauthorized' : 'forbidden', message } } : { error: message });
    expect(calls.map((c) => c.name)).toEqual(['apiAuthorizer']);
  });

  it('is not run for /health', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect(calls.map((c) => [c.name, c.event.requestContext.authorizer])).toEqual([['health', null]]);
  });
});
