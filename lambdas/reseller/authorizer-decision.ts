// What the /api/v2 REQUEST authorizer answers. It does not decide who may call (the v2 handler authenticates header
// and body keys alike); it chooses the API Gateway key, and so the usage plan, a request is throttled under.
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { HeaderCaller } from '../access/domain/caller.js';

export type { HeaderCaller };

export type ThrottledBy = 'usage-plan' | 'application';

/** The key in `X-Api-Key` or `Authorization: Bearer`, whatever the header names' case. */
export function headerApiKey(headers: Record<string, string | undefined> | null | undefined): string | undefined {
  const byName = new Map(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value?.trim()]));
  const direct = byName.get('x-api-key');
  if (direct) return direct;
  const bearer = /^bearer\s+(\S+)$/i.exec(byName.get('authorization') ?? '');
  return bearer?.[1];
}

export function authorizerDecision(input: {
  methodArn: string;
  /** The record of the key presented in a header; undefined when no header carried a key or the key is unknown. */
  caller: HeaderCaller | undefined;
  sharedKeyValue: string;
}): APIGatewayAuthorizerResult {
  const { methodArn, caller, sharedKeyValue } = input;
  // Never Deny. Body-key requests carry no header at all, and an unknown or revoked header key must still reach the
  // v2 handler, which answers it the protocol's way (HTTP 200 {"error":"Invalid API key"}); a Deny would turn it
  // into the gateway's 403. Such requests share one gateway key and are limited by the application.
  const known = caller?.active ? caller : undefined;
  const ownKey = known?.gatewayKeyValue;
  const throttledBy: ThrottledBy = ownKey ? 'usage-plan' : 'application';
  return {
    principalId: known?.ownerId ?? 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
    },
    usageIdentifierKey: ownKey ?? sharedKeyValue,
    context: known ? { ownerId: known.ownerId, keyPrefix: known.keyPrefix, throttledBy } : { throttledBy },
  };
}
