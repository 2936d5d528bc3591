// What the fuzzer aims at: every method the gateway serves (apiMethods of ROUTES, the list CDK builds from), with
// the REST contract operation that describes it, and every /api/v2 action.
import { type ApiMethod, apiMethods, type AuthKind } from '../../lambdas/functions.js';
import { ADMIN_OPERATIONS } from '../../lambdas/rest/admin/contract/index.js';
import type { Operation } from '../../lambdas/rest/v1/operation.js';
import { docsAssetOperation } from '../../lambdas/rest/v1/contract/docs.js';
import { V1_OPERATIONS } from '../../lambdas/rest/v1/contract/index.js';

/** Whose error shape an answer must have: REST (`{"error": {"code", "message"}}`) or the v2 protocol's. */
export type Family = 'rest' | 'v2' | 'plain';

export interface Target {
  method: ApiMethod;
  /** As in ROUTES, with `{name}` segments. */
  path: string;
  auth: AuthKind;
  family: Family;
  /** The function serving it (its writes are the request's own). */
  fn: string;
  operation?: Operation;
}

export const V2_ACTIONS = ['add', 'status', 'multi-status', 'cancel', 'refill', 'refill_status', 'services', 'balance', 'unknown', 'none'] as const;
export type V2Action = (typeof V2_ACTIONS)[number];

// The docs page's files are served but left out of the document on purpose; their contract still says what they answer.
const OPERATIONS = [...V1_OPERATIONS, ...ADMIN_OPERATIONS, docsAssetOperation];

export function fuzzTargets(): Target[] {
  return apiMethods().map(({ method, route }) => {
    const operation = OPERATIONS.find((op) => op.path === route.path && op.method === (method === 'HEAD' ? 'GET' : method));
    const family: Family = route.path.startsWith('/api/v2') ? 'v2' : operation ? 'rest' : 'plain';
    return { method, path: route.path, auth: route.auth, family, fn: route.function, ...(operation ? { operation } : {}) };
  });
}

/** Functions that answer HTTP requests, authorizers included: their writes belong to the request being answered. */
export function requestFunctions(targets: readonly Target[]): Set<string> {
  return new Set([...targets.map((t) => t.fn), 'apiAuthorizer', 'customerAuthorizer']);
}
