// The customerJwt REQUEST authorizer: reads `Authorization: Bearer <access token>`, `Authorization: ApiKey <key>`
// or `X-Api-Key`, and ALWAYS allows, with the caller (or why there is none) in the context: the REST plumbing then
// answers 401/403 in the v1 error shape (see caller.ts). Tokens and keys are never logged.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { cabinetAccess } from '../../../customers/wiring.js';
import { decisionToContext } from '../caller.js';
import { authorizerRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

const authorizeRequest = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const header = (name: string) => {
    for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name && typeof value === 'string') return value;
    return undefined;
  };
  const authorization = header('authorization');
  const apiKey = header('x-api-key');
  const decision = await cabinetAccess().decide({
    ...(authorization !== undefined ? { authorization } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    sourceIp: event.requestContext?.identity?.sourceIp ?? '',
  });
  return {
    principalId: 'caller' in decision ? decision.caller.userId : 'anonymous',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: decisionToContext(decision),
  };
};

export const handler = observe(authorizeRequest, authorizerRequest);
