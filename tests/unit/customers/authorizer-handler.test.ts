// The customerJwt authorizer as API Gateway calls it: it always allows, and says in the context who called or why
// nobody could be named.
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../lambdas/rest/v1/handlers/authorizer-handler.js';
import { usePlatform } from '../../../lambdas/shared/platform.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/api/v1/me';
const event = (headers: Record<string, string>) =>
  ({ type: 'REQUEST', methodArn, headers, requestContext: { identity: { sourceIp: '203.0.113.1' } } }) as unknown as APIGatewayRequestAuthorizerEvent;

beforeAll(() => {
  usePlatform({ secrets: new InMemorySecretStore({ 'codex/jwt-signing-keys': JSON.stringify({ current: 'k1', k1: 'unit-test-seed-'.repeat(3) }) }) });
});
afterAll(() => usePlatform({}));

describe('the customerJwt authorizer handler', () => {
  it('allows a request without credentials, saying so in the context', async () => {
    const result = await handler(event({}));
    expect(result).toEqual({
      principalId: 'anonymous',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }] },
      context: { refusal: 'missing_credentials' },
    });
  });

  it('reads the Authorization header whatever its case', async () => {
    expect((await handler(event({ Authorization: 'Bearer not-a-token' }))).context).toEqual({ refusal: 'invalid_token' });
    expect((await handler(event({ authorization: 'bearer not-a-token' }))).context).toEqual({ refusal: 'invalid_token' });
  });
});
