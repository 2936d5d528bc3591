// REQUEST authorizer of /api/v2: looks up a header key and returns the API Gateway key to throttle the request
// under (the rules are in authorizer-decision.ts). No identity source and no result cache, so it runs for every
// request, with or without a header; lookups are cached here for a minute instead.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { hashApiKey } from '../access/domain/api-keys.js';
import { dependencies } from '../shared/dependencies.js';
import { logger } from '../shared/logger.js';
import { authorizerDecision, type HeaderCaller, headerApiKey } from './authorizer-decision.js';
import { gatewayNames } from '../access/domain/tiers.js';

const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;
const cache = new Map<string, { caller: HeaderCaller | undefined; expires: number }>();

async function lookUp(key: string): Promise<HeaderCaller | undefined> {
  const deps = dependencies();
  const hash = hashApiKey(key, await deps.secrets.get(deps.config.API_KEY_PEPPER_SECRET_ID));
  const cached = cache.get(hash);
  if (cached && cached.expires > Date.now()) return cached.caller;
  const record = await deps.apiKeys.findByHash(hash);
  const owner = record?.status === 'active' ? await deps.users.get(record.ownerId) : undefined;
  const caller: HeaderCaller | undefined = record && {
    ownerId: record.ownerId,
    keyPrefix: record.prefix,
    active: record.status === 'active',
    ...(owner?.apiGatewayKey ? { gatewayKeyValue: owner.apiGatewayKey.value } : {}),
  };
  cache.set(hash, { caller, expires: Date.now() + CACHE_TTL_MS });
  if (cache.size > CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return caller;
}

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const deps = dependencies();
  const sharedKeyValue = await deps.secrets.get(gatewayNames(deps.config.STAGE).sharedKeySecret);
  const key = headerApiKey(event.headers);
  let caller: HeaderCaller | undefined;
  if (key) {
    try {
      caller = await lookUp(key);
    } catch (error) {
      // The authorizer only picks a throttling bucket; the v2 handler still authenticates, so failing open is safe.
      logger.warn('header key lookup failed, throttling under the shared key', { error: error as Error, requestId: event.requestContext?.requestId });
    }
  }
  return authorizerDecision({ methodArn: event.methodArn, caller, sharedKeyValue });
}
