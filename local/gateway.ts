// The local API Gateway: turns HTTP requests into API-Gateway-shaped (REST, proxy) events for the same handlers
// and routes them by the route table CDK also uses.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { FUNCTIONS, ROUTES } from '../lambdas/functions.js';
import { lambdaContext, loadFunction } from './functions.js';

/** API Gateway's own payload limit (10 MB); larger requests get its 413 without reaching a handler. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

export async function startGateway(options: { port: number; root: string }): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const send = (result: APIGatewayProxyResult) => {
      res.writeHead(result.statusCode, { ...(result.headers as Record<string, string>) });
      res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      // A trailing slash reaches the same route, as on API Gateway REST.
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
      const route = ROUTES.find((r) => r.path === path && (r.methods as readonly string[]).includes(method));
      if (!route) {
        const known = ROUTES.some((r) => r.path === path);
        return send({ statusCode: known ? 405 : 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: known ? 'Method Not Allowed' : 'Not Found' }) });
      }
      const body = await readBody(req);
      if (body === undefined) return send({ statusCode: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Request Too Long' }) });
      const event = toProxyEvent(req, url, method, route.path, body);
      const handler = await loadFunction(route.function, options.root);
      const result = (await handler(event, lambdaContext(FUNCTIONS[route.function].handler, event.requestContext.requestId))) as APIGatewayProxyResult;
      send(result);
    } catch (error) {
      console.error('local gateway: handler failed', error);
      send({ statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal server error' }) });
    }
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

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > GATEWAY_MAX_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function toProxyEvent(req: IncomingMessage, url: URL, method: string, resource: string, body: Buffer): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const text = body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(body);
  const requestId = randomUUID();
  return {
    resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: url.searchParams.size > 0 ? query : null,
    multiValueQueryStringParameters: url.searchParams.size > 0 ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: body.length === 0 ? null : isText ? text : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      path: `/local${url.pathname}`,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: resource,
      identity: {
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? null,
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
