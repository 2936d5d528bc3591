// The API stage's access log line: one JSON object per request, with where its time went (gateway, authorizer,
// integration) and why it failed, for Logs Insights (docs/operations.md, "Access logs"). Every value is quoted: a
// field without a value prints "-", which unquoted would break the JSON.
// Never $context.identity.apiKey: it is the usage key's value, which is a credential.
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  // What the caller writes comes first: should a quote in it go unescaped, every field after it still overrides a
  // key it smuggled in (JSON parsers keep the last of a duplicate key).
  userAgent: AccessLogField.contextIdentityUserAgent(),
  path: AccessLogField.contextPath(),
  requestId: AccessLogField.contextRequestId(),
  extendedRequestId: AccessLogField.contextExtendedRequestId(),
  xrayTraceId: AccessLogField.contextXrayTraceId(),
  requestTime: AccessLogField.contextRequestTime(),
  requestTimeEpoch: AccessLogField.contextRequestTimeEpoch(),
  ip: AccessLogField.contextIdentitySourceIp(),
  domainName: AccessLogField.contextDomainName(),
  httpMethod: AccessLogField.contextHttpMethod(),
  resourcePath: AccessLogField.contextResourcePath(),
  protocol: AccessLogField.contextProtocol(),
  status: AccessLogField.contextStatus(),
  responseLength: AccessLogField.contextResponseLength(),
  responseLatency: AccessLogField.contextResponseLatency(),
  integrationLatency: AccessLogField.contextIntegrationLatency(),
  integrationStatus: AccessLogField.contextIntegrationStatus(),
  integrationError: AccessLogField.contextIntegrationErrorMessage(),
  // The authorizer: its whole step, the Lambda call within it, what it decided and who the caller is.
  authorizerLatency: AccessLogField.contextAuthorizerLatency(),
  authorizerIntegrationLatency: AccessLogField.contextAuthorizerIntegrationLatency(),
  authorizerStatus: AccessLogField.contextAuthorizerStatus(),
  authorizerError: AccessLogField.contextAuthorizerError(),
  principalId: AccessLogField.contextAuthorizerPrincipalId(),
  // Admin requests: the Cognito user (sub) and the usage key's id (never its value) of reseller requests.
  adminSub: AccessLogField.contextAuthorizerClaims('sub'),
  apiKeyId: AccessLogField.contextIdentityApiKeyId(),
  errorType: AccessLogField.contextErrorResponseType(),
  errorMessage: AccessLogField.contextErrorMessage(),
  validationError: AccessLogField.contextErrorValidationErrorString(),
  wafStatus: AccessLogField.contextWafStatus(),
  wafResponseCode: AccessLogField.contextWafResponseCode(),
};

export function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
}
