// A REST proxy event as API Gateway hands an admin route to its handler after the Cognito authorizer accepted the
// token: the ID token's claims, as strings, in requestContext.authorizer.claims. For tests of admin handlers without
// the gateway (the role matrix and e2e tests go through the local gateway with real tokens).
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AdminRole } from '../../lambdas/admin/domain/admin-caller.js';

export interface AdminEventInput {
  method: string;
  /** The route's path as in ROUTES, with `{name}` segments (API Gateway's `resource`). */
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  role?: AdminRole;
  /** The admin's Cognito sub (the audit log's actor). */
  sub?: string;
  email?: string;
  sourceIp?: string;
}

export function adminEvent(input: AdminEventInput): APIGatewayProxyEvent {
  const sub = input.sub ?? `${input.role ?? 'admin'}-sub-1`;
  let path = input.resource;
  for (const [name, value] of Object.entries(input.pathParameters ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(value));
  return {
    httpMethod: input.method,
    resource: input.resource,
    path,
    headers: { 'content-type': 'application/json', host: 'localhost' },
    multiValueHeaders: {},
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body === undefined ? null : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      requestId: `req-${Math.random().toString(16).slice(2)}`,
      stage: 'local',
      identity: { sourceIp: input.sourceIp ?? '203.0.113.9' },
      authorizer: {
        claims: {
          sub,
          email: input.email ?? `${input.role ?? 'admin'}@codex.local`,
          'cognito:groups': input.role ?? 'admin',
          token_use: 'id',
        },
      },
    },
  } as unknown as APIGatewayProxyEvent;
}
