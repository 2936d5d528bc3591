// REQUEST authorizer of /api/v2: looks up a header key and returns the API Gateway key to throttle the request
// under (the rules are in authorizer-decision.ts). No identity source and no result cache, so it runs for every
// request, with or without a header; lookups are cached by HeaderKeyLookup for a minute instead.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { gatewayNames } from '../access/domain/tiers.js';
import { headerKeyLookup } from '../access/wiring.js';
import { logger } from '../shared/logger.js';
import { config } from '../shared/platform/config.js';
import { secretStore } from '../shared/platform/secrets.js';
import { authorizerDecision, type HeaderCaller, headerApiKey } from './authorizer-decision.js';
import { authorizerRequest } from '../shared/observability/correlation.js';
import { observe } from '../shared/observability/observe.js';

async function authorizeRequest(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const sharedKeyValue = await secretStore().get(gatewayNames(config().STAGE).sharedKeySecret);
  const key = headerApiKey(event.headers);
  let caller: HeaderCaller | undefined;
  if (key) {
    try {
      caller = await headerKeyLookup().find(key);
    } catch (error) {
      // The authorizer only picks a throttling bucket; the v2 handler still authenticates, so failing open is safe.
      logger.warn('header key lookup failed, throttling under the shared key', { error: error as Error, requestId: event.requestContext?.requestId });
    }
  }
  return authorizerDecision({ methodArn: event.methodArn, caller, sharedKeyValue });
}

export const handler = observe(authorizeRequest, authorizerRequest);
