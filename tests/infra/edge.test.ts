// The API's edge by stage: access log lines, parameters the gateway requires, the WAF and the custom domain.
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodexStack } from '../../lib/codex-stack.js';
import { FunctionRoles } from '../../lib/function-roles.js';
import { ApiDomain, customDomainUrl } from '../../lib/operations/api-domain.js';
import { type ContextReader, stageConfig } from '../../lib/stage-config.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const DOMAIN = {
  domainName: 'api.codex.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c',
  hostedZoneId: 'Z0123456789ABC',
  zoneName: 'codex.example.com',
};
const contextOf =
  (values: Record<string, string>): ContextReader =>
  (key) =>
    values[key];

function synthStack(stage: string, context: Record<string, string> = {}): CodexStack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = stageConfig(stage, contextOf(context));
  // Every optional part on, as the largest stage would have it.
  return new CodexStack(app, `Codex-${stage}`, {
    stage,
    config,
    demoPayments: true,
    cryptomusSecretName: 'codex/payments/cryptomus',
    operatorEmail: 'ops@example.com',
  });
}

let dev: Template;
let prodStack: CodexStack;
let prod: Template;
beforeAll(() => {
  dev = Template.fromStack(synthStack('dev'));
  prodStack = synthStack('prod', DOMAIN);
  prod = Template.fromStack(prodStack);
});

const stageOf = (template: Template) => Object.values(template.findResources('AWS::ApiGateway::Stage') as Resources)[0]!;
const stageId = (template: Template) => Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0]!;

describe('access logs', () => {
  it('writes one JSON object per request with latency, integration latency and the authorizer', () => {
    const format = JSON.parse(stageOf(dev).Properties.AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      resourcePath: '$context.resourcePath',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      integrationStatus: '$context.integrationStatus',
      authorizerLatency: '$context.authorizer.latency',
      authorizerStatus: '$context.authorizer.status',
      authorizerError: '$context.authorizer.error',
      principalId: '$context.authorizer.principalId',
      errorType: '$context.error.responseType',
      wafStatus: '$context.waf.status',
      xrayTraceId: '$context.xrayTraceId',
    });
  });

  it('puts what the caller writes (user agent, path) before every field it could try to forge', () => {
    const keys = Object.keys(JSON.parse(stageOf(dev).Properties.AccessLogSetting.Format));
    expect(keys.slice(0, 2).sort()).toEqual(['path', 'userAgent']);
  });

  it('never logs the usage key itself, only its id', () => {
    const format = stageOf(dev).Properties.AccessLogSetting.Format as string;
    expect(format).not.toContain('$context.identity.apiKey"');
    expect(format).toContain('$context.identity.apiKeyId');
  });
});

describe('request validation', () => {
  const methods = (template: Template) => Object.values(template.findResources('AWS::ApiGateway::Method') as Resources).map((m) => m.Properties);
  const pathParts = (template: Template) =>
    new Map(Object.entries(template.findResources('AWS::ApiGateway::Resource') as Resources).map(([id, r]) => [id, r.Properties]));
  /** The method's full path, from its resource's chain of parents. */
  const pathOf = (template: Template, method: Record<string, any>): string => {
    const parts = pathParts(template);
    const segments: string[] = [];
    let ref = method.ResourceId?.Ref as string | undefined;
    while (ref && parts.has(ref)) {
      const part = parts.get(ref)!;
      segments.unshift(part.PathPart);
      ref = part.ParentId?.Ref;
    }
    return `/${segments.join('/')}`;
  };
  const validated = (template: Template) =>
    methods(template)
      .filter((m) => m.RequestValidatorId)
      .map(
        (m) =>
          `${m.HttpMethod} ${pathOf(template, m)} ${Object.keys(m.RequestParameters ?? {})
            .sort()
            .join(' ')}`,
      )
      .sort();

  it('requires at the gateway the query parameters the contracts cannot do without, on GET and HEAD alike', () => {
    expect(validated(dev)).toEqual([
      'GET /admin/v1/finance/summary method.request.querystring.from method.request.querystring.to',
      'GET /admin/v1/ledger method.request.querystring.from method.request.querystring.to',
      'HEAD /admin/v1/finance/summary method.request.querystring.from method.request.querystring.to',
      'HEAD /admin/v1/ledger method.request.querystring.from method.request.querystring.to',
    ]);
    for (const method of methods(dev).filter((m) => m.RequestValidatorId)) {
      expect(Object.values(method.RequestParameters)).toEqual(Object.values(method.RequestParameters).map(() => true));
    }
  });

  it('checks parameters only (bodies stay with the handlers) and leaves /api/v2 alone', () => {
    const validators = Object.values(dev.findResources('AWS::ApiGateway::RequestValidator') as Resources);
    expect(validators).toHaveLength(1);
    expect(validators[0]!.Properties).toMatchObject({ ValidateRequestParameters: true });
    expect(validators[0]!.Properties.ValidateRequestBody ?? false).toBe(false);
    expect(dev.findResources('AWS::ApiGateway::Model')).toEqual({});
    const v2 = methods(dev).filter((m) => pathOf(dev, m) === '/api/v2');
    expect(v2).toHaveLength(3);
    for (const method of v2) expect(method.RequestValidatorId).toBeUndefined();
  });

  it('answers a missing parameter in the REST error shape, 400 invalid_request', () => {
    dev.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_PARAMETERS',
      StatusCode: '400',
      ResponseTemplates: { 'application/json': '{"error":{"code":"invalid_request","message":"$context.error.validationErrorString"}}' },
    });
  });
});

describe('WAF', () => {
  it('is off in dev unless asked for', () => {
    dev.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(stageConfig('dev', contextOf({ waf: 'true' })).waf).toBe(true);
    expect(stageConfig('prod', contextOf({ waf: 'false' })).waf).toBe(false);
  });

  it('guards the prod stage with the managed common, known-bad-inputs and IP reputation rules and a rate limit per address', () => {
    const acl = Object.values(prod.findResources('AWS::WAFv2::WebACL') as Resources);
    expect(acl).toHaveLength(1);
    const { Scope, DefaultAction, Rules } = acl[0]!.Properties;
    expect([Scope, DefaultAction]).toEqual(['REGIONAL', { Allow: {} }]);
    const groups = Rules.filter((r: any) => r.Statement.ManagedRuleGroupStatement).map((r: any) => r.Statement.ManagedRuleGroupStatement);
    expect(groups.map((g: any) => `${g.VendorName}/${g.Name}`).sort()).toEqual([
      'AWS/AWSManagedRulesAmazonIpReputationList',
      'AWS/AWSManagedRulesCommonRuleSet',
      'AWS/AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    for (const rule of Rules.filter((r: any) => r.Statement.ManagedRuleGroupStatement)) expect(rule.OverrideAction).toEqual({ None: {} });
    // Only what legitimate requests trip over is counted instead of blocked: scripts without a User-Agent, long v2
    // requests, URLs with an IPv4 host (webhooks, provider panels, v2 links) and admin HTML email templates.
    const common = groups.find((g: any) => g.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common.RuleActionOverrides.map((o: any) => [o.Name, o.ActionToUse]).sort()).toEqual([
      ['CrossSiteScripting_BODY', { Count: {} }],
      ['GenericRFI_BODY', { Count: {} }],
      ['GenericRFI_QUERYARGUMENTS', { Count: {} }],
      ['NoUserAgent_HEADER', { Count: {} }],
      ['SizeRestrictions_BODY', { Count: {} }],
      ['SizeRestrictions_QUERYSTRING', { Count: {} }],
    ]);
    const rate = Rules.find((r: any) => r.Statement.RateBasedStatement);
    expect(rate.Statement.RateBasedStatement).toEqual({ Limit: 10_000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    expect(rate.Action.Block.CustomResponse.ResponseCode).toBe(429);
    expect(new Set(Rules.map((r: any) => r.Priority)).size).toBe(Rules.length);
    for (const rule of Rules) expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
  });

  it('is associated with the API stage, once the stage exists', () => {
    const associations = Object.values(prod.findResources('AWS::WAFv2::WebACLAssociation') as Resources);
    expect(associations).toHaveLength(1);
    const association = associations[0]!;
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [Object.keys(prod.findResources('AWS::WAFv2::WebACL'))[0]!, 'Arn'] });
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(`"/stages/",{"Ref":"${stageId(prod)}"}`);
  });

  it('takes its rate limit from context', () => {
    expect(stageConfig('prod', contextOf({ wafRateLimit: '2500' })).wafRateLimit).toBe(2500);
    expect(() => stageConfig('prod', contextOf({ wafRateLimit: '5' }))).toThrow(/wafRateLimit/);
  });
});

describe('custom domain', () => {
  it('has none unless context names one', () => {
    dev.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    dev.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
  });

  it('serves the stage on the domain with its certificate, TLS 1.2 and a regional endpoint', () => {
    prod.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: DOMAIN.domainName,
      RegionalCertificateArn: DOMAIN.certificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    const mapping = Object.values(prod.findResources('AWS::ApiGateway::BasePathMapping') as Resources);
    expect(mapping).toHaveLength(1);
    expect(mapping[0]!.Properties.Stage).toEqual({ Ref: stageId(prod) });
    expect(mapping[0]!.Properties.BasePath).toBeUndefined();
  });

  it('points the hosted zone at it with an alias record', () => {
    prod.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${DOMAIN.domainName}.`,
      Type: 'A',
      HostedZoneId: DOMAIN.hostedZoneId,
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
  });

  it('makes the domain the public URL every function builds links from', () => {
    const functions = Object.values(prod.findResources('AWS::Lambda::Function') as Resources);
    const urls = new Set(functions.map((f) => f.Properties.Environment?.Variables?.PUBLIC_API_URL));
    expect(urls).toEqual(new Set([`https://${DOMAIN.domainName}`]));
    expect(prod.findOutputs('PublicApiUrl')).toMatchObject({ PublicApiUrl: { Value: `https://${DOMAIN.domainName}` } });
  });

  it('maps the stage under a base path when given, and leaves DNS to the operator without a zone', () => {
    const stack = new Stack(new App(), 'Domain');
    const api = new RestApi(stack, 'Api');
    api.root.addMethod('GET', new MockIntegration());
    const { hostedZoneId: _, zoneName: __, ...withoutZone } = DOMAIN;
    new ApiDomain(stack, 'ApiDomain', api, { ...withoutZone, basePath: 'codex' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'codex' });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(customDomainUrl({ ...withoutZone, basePath: 'codex' })).toBe(`https://${DOMAIN.domainName}/codex`);
  });

  it('reads a base path from context, and refuses half a configuration', () => {
    const config = stageConfig('prod', contextOf({ ...DOMAIN, domainBasePath: 'codex' }));
    expect(config.customDomain).toMatchObject({ domainName: DOMAIN.domainName, basePath: 'codex' });
    expect(() => stageConfig('prod', contextOf({ domainName: DOMAIN.domainName }))).toThrow(/certificateArn/);
    const { zoneName: _, ...withoutZoneName } = DOMAIN;
    expect(() => stageConfig('prod', contextOf(withoutZoneName))).toThrow(/zoneName/);
    expect(() => stageConfig('prod', contextOf({ ...DOMAIN, domainBasePath: 'a/b' }))).toThrow(/domainBasePath/);
  });
});

describe('CloudFormation limits', () => {
  const resourceCount = (template: Template) => Object.keys(template.toJSON().Resources).length;
  const nestedStacks = () => prodStack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack);

  it('keeps the largest stage (WAF, custom domain, every payment method) within 450 resources, 50 short of the limit', () => {
    // CDK refuses to synthesize past 500 (TooManyResourcesInStack); the rest is room for what comes next, which would
    // otherwise need a move of deployed resources (docs/operations.md, "Stack layout").
    expect(resourceCount(prod)).toBeLessThanOrEqual(450);
  });

  it('keeps each nested stack (the function roles, the alarms and dashboard) within 500 resources', () => {
    const counts = Object.fromEntries(nestedStacks().map((nested) => [nested.node.id, resourceCount(Template.fromStack(nested))]));
    expect(Object.keys(counts).sort()).toEqual([FunctionRoles.ID, 'Operations']);
    for (const count of Object.values(counts)) expect(count).toBeLessThanOrEqual(500);
  });
});
