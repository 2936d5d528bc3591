import { describe, expect, it } from 'vitest';
import { authorizerDecision, type HeaderCaller, headerApiKey } from '../../lambdas/reseller/authorizer-decision.js';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/api/v2';
const SHARED = 'shared-gateway-key-value-0123456789abcdef';
const reseller: HeaderCaller = { ownerId: 'reseller-1', keyPrefix: 'cdx_AbCdEf', active: true, gatewayKeyValue: 'reseller-1-gateway-key-value-0123456789' };

const decide = (caller: HeaderCaller | undefined) => authorizerDecision({ methodArn: METHOD_ARN, caller, sharedKeyValue: SHARED });

describe('the key presented in a header', () => {
  it('is read from X-Api-Key whatever the header name case', () => {
    expect(headerApiKey({ 'X-Api-Key': 'cdx_one' })).toBe('cdx_one');
    expect(headerApiKey({ 'x-api-key': ' cdx_one ' })).toBe('cdx_one');
  });

  it('is read from an Authorization bearer token', () => {
    expect(headerApiKey({ Authorization: 'Bearer cdx_two' })).toBe('cdx_two');
    expect(headerApiKey({ authorization: 'bearer   cdx_two' })).toBe('cdx_two');
  });

  it('prefers X-Api-Key when both headers carry a key', () => {
    expect(headerApiKey({ 'X-Api-Key': 'cdx_one', Authorization: 'Bearer cdx_two' })).toBe('cdx_one');
  });

  it('is absent for body-key requests, empty headers and other authorization schemes', () => {
    expect(headerApiKey(null)).toBeUndefined();
    expect(headerApiKey({ 'Content-Type': 'application/x-www-form-urlencoded' })).toBeUndefined();
    expect(headerApiKey({ 'X-Api-Key': '  ' })).toBeUndefined();
    expect(headerApiKey({ Authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(headerApiKey({ Authorization: 'Bearer' })).toBeUndefined();
  });
});

describe('the authorizer decision', () => {
  it("throttles a known header key under its owner's gateway key, and tells the handler who it is", () => {
    const result = decide(reseller);
    expect(result.principalId).toBe('reseller-1');
    expect(result.usageIdentifierKey).toBe(reseller.gatewayKeyValue);
    expect(result.context).toEqual({ ownerId: 'reseller-1', keyPrefix: 'cdx_AbCdEf', throttledBy: 'usage-plan' });
  });

  it('lets a request without a header key through under the shared key, for the application to throttle', () => {
    const result = decide(undefined);
    expect(result.principalId).toBe('anonymous');
    expect(result.usageIdentifierKey).toBe(SHARED);
    expect(result.context).toEqual({ throttledBy: 'application' });
  });

  it('lets an unknown or revoked header key through under the shared key, so the handler can answer "Invalid API key"', () => {
    const revoked = decide({ ...reseller, active: false });
    expect(revoked.principalId).toBe('anonymous');
    expect(revoked.usageIdentifierKey).toBe(SHARED);
    expect(revoked.context).toEqual({ throttledBy: 'application' });
    expect(revoked.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  it('puts a known reseller without a gateway key of its own (beyond the regional key limit) on the shared key', () => {
    const { gatewayKeyValue: _none, ...withoutKey } = reseller;
    const result = decide(withoutKey);
    expect(result.principalId).toBe('reseller-1');
    expect(result.usageIdentifierKey).toBe(SHARED);
    expect(result.context).toEqual({ ownerId: 'reseller-1', keyPrefix: 'cdx_AbCdEf', throttledBy: 'application' });
  });

  it('never denies: every answer allows invoking exactly the requested method', () => {
    for (const caller of [reseller, { ...reseller, active: false }, undefined]) {
      expect(decide(caller).policyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }],
      });
    }
  });

  it('puts only strings in the context, as API Gateway requires', () => {
    for (const caller of [reseller, undefined]) {
      for (const value of Object.values(decide(caller).context ?? {})) expect(typeof value).toBe('string');
    }
  });
});
