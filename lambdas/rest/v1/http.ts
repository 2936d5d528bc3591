// The plumbing of every REST v1 function: find the operation of the request, read and validate its input with the
// operation's schemas, run it, and answer JSON. Errors have one shape, {"error": {"code", "message", "field"?}},
// with the status rest/error-status.ts gives the code; anything unexpected is logged and answered 500 without detail.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import * as core from 'zod/v4/core';
import { isDomainError, isStoreBusy } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { config } from '../../shared/platform/config.js';
import type { AdminCaller } from '../../admin/domain/admin-caller.js';
import { closedForMaintenance, MAINTENANCE_RETRY_AFTER_SECONDS } from '../../settings/domain/maintenance.js';
import { type ErrorCode, HTTP_STATUS_OF } from '../error-status.js';
import { type AuthRefusal, decisionFromContext, type V1Caller } from './caller.js';
import { useEnglishMessages } from './contract/common.js';
import type { Operation } from './operation.js';

type Output<S> = S extends core.$ZodType ? core.output<S> : undefined;

export interface RestRequest<O extends Operation> {
  body: Output<O['body']>;
  query: Output<O['query']>;
  params: Output<O['params']>;
  headers: Output<O['headers']>;
  /**
   * Present on every customerJwt and adminCognito operation (the plumbing answers 401 before the implementation runs
   * otherwise; for adminCognito also 403 when the caller's role may not call the route: admin/domain/permissions.ts).
   */
  caller: O['auth'] extends 'customerJwt' ? V1Caller : O['auth'] extends 'adminCognito' ? AdminCaller : undefined;
  /** The body as sent, for signature checks. */
  rawBody: string;
  /** Every request header, names in lower case. */
  allHeaders: Record<string, string>;
  sourceIp: string;
  requestId: string;
  /** Where the API is reachable, without a trailing slash (`https://host/stage` or PUBLIC_API_URL): for links. */
  apiBase: string;
}

export interface Reply {
  status: number;
  /** Answered as JSON. */
  body?: unknown;
  /** Answered as is (with a content-type header of the reply's own), instead of `body`. */
  text?: string;
  headers?: Record<string, string>;
}

export interface RouteImpl {
  operation: Operation;
  run(request: RestRequest<Operation>): Promise<Reply>;
}

export function route<const O extends Operation>(operation: O, run: (request: RestRequest<O>) => Promise<Reply>): RouteImpl {
  return { operation, run: run as unknown as RouteImpl['run'] };
}

/** A refusal of the plumbing or of a use case, answered with its status. */
/** The path of the first own `__proto__` key in a parsed JSON value, if any. */
function protoKeyPath(value: unknown, path: string[]): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '__proto__') return [...path, key].join('.');
    const found = protoKeyPath(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

export class RestError extends Error {
  override readonly name = 'RestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, ...(headers ? { headers } : {}) });
export const created = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 201, body, ...(headers ? { headers } : {}) });
export const noContent = (): Reply => ({ status: 204 });

/** 404 in the API's shape: also what a caller gets for something that exists but is not theirs. */
export const notFound = (what: string) => new RestError(404, 'not_found', `${what} not found`);

const AUTH_REFUSALS: Record<AuthRefusal, [number, string]> = {
  missing_credentials: [401, 'Sign in: send an access token (Authorization: Bearer <token>) or an API key (X-Api-Key)'],
  invalid_token: [401, 'The access token is not valid'],
  token_expired: [401, 'The access token has expired; refresh it'],
  session_ended: [401, 'The session has ended; sign in again'],
  invalid_key: [401, 'The API key is not valid'],
  key_suspended: [403, 'The API key is suspended'],
  ip_not_allowed: [403, "This address is not in the API key's allow-list"],
  account_blocked: [403, 'The account is blocked'],
};

const BUSY_RETRY_AFTER_SECONDS = 1;
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

export interface RestHandlerOptions {
  /**
   * Maintenance mode (settings, lambdas/settings/maintenance-gate.ts): while on, this function's /api/v1 routes that
   * it closes answer 503. Functions that pass none (open routes only, the admin API) never read the settings.
   */
  maintenance?: () => Promise<{ enabled: boolean; message: string }>;
  /**
   * The admin API's caller of an adminCognito route, or a 401/403 RestError (rest/admin/admin-access.ts): given by
   * the admin functions only, so that the others carry no admin permission table.
   */
  adminCaller?: (operation: Operation, event: APIGatewayProxyEvent) => AdminCaller;
}

export function restHandler(routes: readonly RouteImpl[], options: RestHandlerOptions = {}) {
  const byKey = new Map(routes.map((r) => [`${r.operation.method} ${r.operation.path}`, r]));
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const requestId = event.requestContext?.requestId ?? '';
    const head = event.httpMethod === 'HEAD';
    const found = byKey.get(`${head ? 'GET' : event.httpMethod} ${event.resource}`);
    let reply: Reply;
    try {
      if (!found) throw new RestError(404, 'not_found', 'No such operation');
      if (options.maintenance && closedForMaintenance(found.operation.method, found.operation.path)) await refuseDuringMaintenance(options.maintenance);
      reply = await found.run(readRequest(found.operation, event, requestId, options));
    } catch (error) {
      reply = errorReply(error, found?.operation, requestId);
    }
    return toResult(reply, requestId, head);
  };
}

async function refuseDuringMaintenance(maintenance: NonNullable<RestHandlerOptions['maintenance']>): Promise<void> {
  let state: { enabled: boolean; message: string };
  try {
    state = await maintenance();
  } catch (error) {
    // Unreadable settings must not close the API: serve, and say so in the logs.
    logger.warn('could not read maintenance mode; serving', { error: error as Error });
    return;
  }
  if (state.enabled) throw new RestError(503, 'maintenance', state.message, undefined, { 'retry-after': String(MAINTENANCE_RETRY_AFTER_SECONDS) });
}

function readRequest(operation: Operation, event: APIGatewayProxyEvent, requestId: string, options: RestHandlerOptions): RestRequest<Operation> {
  const allHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (typeof value === 'string') allHeaders[name.toLowerCase()] = value;

  let caller: V1Caller | AdminCaller | undefined;
  if (operation.auth === 'adminCognito') {
    if (!options.adminCaller) throw new Error(`${operation.method} ${operation.path} is an admin route served without the admin API's access check`);
    caller = options.adminCaller(operation, event);
  }
  if (operation.auth === 'customerJwt') {
    const decision = decisionFromContext(event.requestContext?.authorizer);
    if ('refusal' in decision) {
      const [status, message] = AUTH_REFUSALS[decision.refusal];
      throw new RestError(
        status,
        status === 401 ? 'unauthorized' : decision.refusal,
        message,
        undefined,
        status === 401 ? { 'www-authenticate': 'Bearer' } : {},
      );
    }
    caller = decision.caller;
    if (operation.unverifiedAllowed === false && !caller.emailVerified) {
      throw new RestError(403, 'email_not_verified', 'Verify your email address first: follow the link in the email we sent you');
    }
  }

  const rawBody = event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(rawBody) > config().MAX_REQUEST_BYTES)
    throw new RestError(413, 'payload_too_large', `The body is larger than ${config().MAX_REQUEST_BYTES} bytes`);
  let body: unknown;
  if (operation.body) {
    const type = (allHeaders['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (operation.bodyFormat === 'form') {
      if (type && type !== 'application/x-www-form-urlencoded')
        throw new RestError(415, 'unsupported_media_type', 'Send the form as application/x-www-form-urlencoded');
      body = Object.fromEntries(new URLSearchParams(rawBody));
    } else {
      if (type && type !== 'application/json' && !type.endsWith('+json'))
        throw new RestError(415, 'unsupported_media_type', 'Send the body as application/json');
      try {
        body = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
      } catch {
        throw new RestError(400, 'invalid_request', 'The body is not valid JSON');
      }
      const proto = protoKeyPath(body, []);
      // zod drops a `__proto__` key without a word (a record would otherwise take it as its prototype): refused instead,
      // so a word sent (a provider's status word) is never silently lost.
      if (proto) throw new RestError(400, 'invalid_request', `${proto}: \`__proto__\` is not a name this API reads`, proto);
    }
  }
  const query = { ...(event.queryStringParameters ?? {}) };
  const params = { ...(event.pathParameters ?? {}) };
  const identity = event.requestContext?.identity;
  return {
    body: operation.body ? parse(operation.body, body, '') : undefined,
    query: operation.query ? parse(operation.query, query, '') : undefined,
    params: operation.params ? parse(operation.params, params, '') : undefined,
    headers: operation.headers ? parse(operation.headers, allHeaders, '') : undefined,
    caller,
    rawBody,
    allHeaders,
    sourceIp: identity?.sourceIp ?? '',
    requestId,
    apiBase: apiBase(event, allHeaders),
  } as RestRequest<Operation>;
}

/** Parses with the schema, or throws a 400 naming the first field that is wrong. */
export function parse<S extends core.$ZodType>(schema: S, value: unknown, prefix: string): core.output<S> {
  useEnglishMessages();
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  throw new RestError(400, 'invalid_request', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}

function apiBase(event: APIGatewayProxyEvent, headers: Record<string, string>): string {
  const configured = config().PUBLIC_API_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const host = headers.host ?? event.requestContext?.domainName ?? 'localhost';
  // On the execute-api domain the stage is the path's first segment; a custom domain maps the stage to its root.
  const stage = /\.execute-api\./.test(host) && event.requestContext?.stage ? `/${event.requestContext.stage}` : '';
  const scheme = headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  return `${scheme}://${host}${stage}`;
}

function errorReply(error: unknown, operation: Operation | undefined, requestId: string): Reply {
  if (error instanceof RestError) return errorBody(error.status, error.code, error.message, error.field, error.headers);
  if (error instanceof core.$ZodError) {
    const issue = error.issues[0]!;
    return errorBody(400, 'invalid_request', issue.message, issue.path.join('.') || undefined);
  }
  // A wallet still contended at the end of its time budget: the client's own load on one balance, so a 4xx (never a
  // 5xx: nothing failed), with the same Retry-After as the store's busy answer.
  if (isDomainError(error, 'wallet_busy')) {
    logger.warn('wallet busy after retries', { requestId });
    return errorBody(409, 'wallet_busy', error.message, undefined, { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) });
  }
  if (isDomainError(error)) {
    const status = HTTP_STATUS_OF[error.code as ErrorCode] ?? 400;
    return errorBody(status, error.code, error.message, error.field);
  }
  if (isStoreBusy(error)) {
    logger.warn('store busy after retries', { requestId, error: error as Error });
    return errorBody(503, 'busy', 'Busy right now: please try again in a moment', undefined, { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) });
  }
  logger.error('request failed', { requestId, operation: operation ? `${operation.method} ${operation.path}` : undefined, error: error as Error });
  return errorBody(500, 'internal', 'Internal error, please try again later');
}

function errorBody(status: number, code: string, message: string, field?: string, headers: Record<string, string> = {}): Reply {
  return { status, body: { error: { code, message, ...(field ? { field } : {}) } }, headers };
}

function toResult(reply: Reply, requestId: string, head: boolean): APIGatewayProxyResult {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'cache-control': 'no-store',
    ...(requestId ? { 'x-request-id': requestId } : {}),
    ...(reply.text === undefined && reply.status !== 204 ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...reply.headers,
  };
  const body = reply.text ?? (reply.status === 204 || reply.body === undefined ? '' : JSON.stringify(reply.body));
  return { statusCode: reply.status, headers, body: head ? '' : body };
}
