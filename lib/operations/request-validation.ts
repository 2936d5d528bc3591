// What API Gateway can check before a REST v1 or admin request reaches its function: the presence of the query
// parameters the operation's zod contract requires (those it cannot do without). Only presence is checked there, so
// the gateway refuses nothing the handler would accept; the handler still validates everything.
// Not headers: whether the gateway matches a required header's name regardless of case is not documented, and a
// client may send `Idempotency-Key` or `idempotency-key` (HTTP/2 lowercases); the handlers read them either way.
// Not /api/v2: that protocol answers its own HTTP 200 {"error"} and reads its parameters from query or body alike.
// No body models: a model per operation is a CloudFormation resource (the stack is near its 500) and JSON Schema
// cannot say what the contracts do (trimming, coercion, an empty body read as {}), so bodies stay the handlers'.
import * as z from 'zod/mini';
import type { $ZodObject } from 'zod/v4/core';
import type { ApiMethod } from '../../lambdas/functions.js';
import { ADMIN_OPERATIONS } from '../../lambdas/rest/admin/contract/index.js';
import type { Operation } from '../../lambdas/rest/v1/operation.js';
import { V1_OPERATIONS } from '../../lambdas/rest/v1/contract/index.js';

const OPERATIONS: readonly Operation[] = [...V1_OPERATIONS, ...ADMIN_OPERATIONS];

/** The names whose absence the operation refuses: those its schema does not accept as undefined. */
function requiredNames(shape: $ZodObject | undefined): string[] {
  if (!shape) return [];
  return Object.entries(shape._zod.def.shape)
    .filter(([, schema]) => !z.safeParse(schema as z.ZodMiniType, undefined).success)
    .map(([name]) => name);
}

/**
 * `method.request.*` keys the gateway requires of this method (HEAD as its GET), or undefined when it requires none
 * or the path is no REST v1 or admin operation.
 */
export function requiredRequestParameters(method: ApiMethod, path: string): Record<string, boolean> | undefined {
  const served = method === 'HEAD' ? 'GET' : method;
  const operation = OPERATIONS.find((op) => op.method === served && op.path === path);
  if (!operation) return undefined;
  const parameters = Object.fromEntries(requiredNames(operation.query).map((name) => [`method.request.querystring.${name}`, true]));
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}
