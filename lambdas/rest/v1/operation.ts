// One REST operation, described once: the handler validates requests with these schemas and the OpenAPI document
// (GET /api/v1/openapi.json) is generated from them. Contracts live in contract/, implementations in routes/.
// Typed by zod's core, so that a contract may use zod or zod/mini: zod/mini costs a function about 70 KB less.
import type * as z from 'zod/v4/core';
import type { AuthKind, RouteMethod } from '../../functions.js';

export interface ResponseSpec {
  description: string;
  /** JSON body; absent for an empty answer (204) or when `contentType` says otherwise. */
  body?: z.$ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface Operation {
  method: RouteMethod;
  /** The full path as in ROUTES (lambdas/functions.ts), with `{name}` segments. */
  path: string;
  auth: AuthKind;
  /** OpenAPI tag: the part of the API it belongs to. */
  tag: string;
  summary: string;
  description?: string;
  /** JSON body (an object schema). */
  body?: z.$ZodType;
  /** `form`: application/x-www-form-urlencoded, as HTML forms post (the demo checkout's buttons). */
  bodyFormat?: 'json' | 'form';
  query?: z.$ZodObject;
  params?: z.$ZodObject;
  /** Request headers the operation reads (names in lower case). */
  headers?: z.$ZodObject;
  responses: Record<number, ResponseSpec>;
  /** Error statuses it may answer besides 400 for invalid input, documented with the common error body. */
  errors?: number[];
  /** Whether an unverified account may call it (cabinet operations that move money may not). Default true. */
  unverifiedAllowed?: boolean;
}

export function operation<const O extends Operation>(spec: O): O {
  return spec;
}
