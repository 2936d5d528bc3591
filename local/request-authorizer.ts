// A Lambda REQUEST authorizer's answer read as API Gateway REST reads it, for the local gateway.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

export type AuthorizerOutcome =
  /** `context` is what the handler finds in `requestContext.authorizer`. */
  | { context: Record<string, string | number>; usageKey: string | undefined }
  /** `refusal`: the authorizer's own (API Gateway's UNAUTHORIZED and ACCESS_DENIED responses); else no usage key. */
  | { status: 401 | 403; error: string; refusal: boolean }
  /**
   * The authorizer threw, or returned something the gateway cannot read: API Gateway's AUTHORIZER_CONFIGURATION_ERROR
   * response for both (a 503 busy answer here, lib/codex-api.ts).
   */
  | { failure: unknown };

export async function runRequestAuthorizer(
  event: APIGatewayRequestAuthorizerEvent,
  invoke: () => Promise<unknown>,
  requireUsageKey: boolean,
): Promise<AuthorizerOutcome> {
  const started = Date.now();
  let result: APIGatewayAuthorizerResult;
  try {
    result = (await invoke()) as APIGatewayAuthorizerResult;
  } catch (error) {
    // Only the error "Unauthorized" means 401.
    return (error as Error)?.message === 'Unauthorized' ? { status: 401, error: 'Unauthorized', refusal: true } : { failure: error };
  }
  const context = result?.context ?? {};
  if (typeof result?.principalId !== 'string' || !Array.isArray(result.policyDocument?.Statement) || !Object.values(context).every(isScalar)) {
    return { failure: new Error('malformed authorizer result: principalId, policyDocument.Statement and scalar context values are required') };
  }
  const grants = (effect: 'Allow' | 'Deny') =>
    result.policyDocument.Statement.some(
      (s) =>
        s.Effect === effect &&
        listOf('Action' in s ? s.Action : undefined).some((action) => /^(\*|execute-api:(\*|Invoke))$/.test(action)) &&
        listOf('Resource' in s ? s.Resource : undefined).some((resource) => wildcard(resource).test(event.methodArn)),
    );
  if (grants('Deny')) return { status: 403, error: 'User is not authorized to access this resource with an explicit deny', refusal: true };
  if (!grants('Allow')) return { status: 403, error: 'User is not authorized to access this resource', refusal: true };
  const usageKey = result.usageIdentifierKey ?? undefined;
  if (requireUsageKey && !usageKey) return { status: 403, error: 'Forbidden', refusal: false };
  // Values reach the handler as strings, next to the principal and the authorizer's latency.
  const strings = Object.fromEntries(Object.entries(context).map(([key, value]) => [key, String(value)]));
  return { context: { ...strings, principalId: result.principalId, integrationLatency: Date.now() - started }, usageKey };
}

export const isScalar = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);
const listOf = (value: unknown): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
