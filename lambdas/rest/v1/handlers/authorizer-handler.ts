// The customerJwt REQUEST authorizer. (Placeholder until the accounts part of issue 9: lets requests through
// without a caller, so every cabinet operation answers 401.)
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { decisionToContext } from '../caller.js';

export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => ({
  principalId: 'anonymous',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
  context: decisionToContext({ refusal: 'missing_credentials' }),
});
