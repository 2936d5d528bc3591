// What each kind of invocation is about, for observe(): the ids added to every log line of the invocation. Ids only
// (API request, order, user): never a key, a token or a body.
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { logger } from '../logger.js';
import type { ObserveOptions } from './observe.js';

type Authorizer = { userId?: unknown; ownerId?: unknown; claims?: { sub?: unknown } } | null | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/** REST API v1, admin API and reseller API requests: the API Gateway request id, and the caller its authorizer named. */
export const apiRequest: ObserveOptions<APIGatewayProxyEvent> = {
  correlationIds: (event) => {
    const authorizer = event.requestContext?.authorizer as Authorizer;
    return {
      requestId: event.requestContext?.requestId,
      // customerJwt puts userId in its context, the reseller authorizer ownerId, Cognito the admin's sub.
      userId: text(authorizer?.userId) ?? text(authorizer?.ownerId) ?? text(authorizer?.claims?.sub),
    };
  },
};

/** Lambda authorizers: the request they decide on (the caller is not known yet). */
export const authorizerRequest: ObserveOptions<APIGatewayRequestAuthorizerEvent> = {
  correlationIds: (event) => ({ requestId: event.requestContext?.requestId }),
};

/** The order workflow's Lambda steps: the order the state machine passes. */
export const workflowStep: ObserveOptions<unknown> = {
  correlationIds: (event) => ({ orderId: text((event as { orderId?: unknown } | null)?.orderId) }),
};

/** Cognito triggers: the user signing in. */
export const cognitoTrigger: ObserveOptions<{ userName?: string; request?: { userAttributes?: Record<string, string> } }> = {
  correlationIds: (event) => ({ userId: event.request?.userAttributes?.sub ?? event.userName }),
};

/** Once a handler has authenticated its caller itself (the reseller API's key): the rest of the invocation's logs name them. */
export function identifyCaller(userId: string): void {
  logger.appendKeys({ userId });
}
