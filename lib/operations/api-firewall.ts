// The WAF web ACL in front of the API stage (on when `config.waf`, by default in production): AWS's managed rule
// groups for addresses with a bad reputation, common exploits and known-bad inputs, and a per-address rate limit.
// Every rule publishes CloudWatch metrics (namespace AWS/WAFV2) and sampled requests; docs/operations.md, "WAF".
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  stage: string;
  /** The API Gateway stage the ACL protects. */
  apiStage: Stage;
  /** Requests one address may send within 5 minutes (the rate-based rule). */
  rateLimit: number;
}

/** Names of the rules, which are also their CloudWatch metric names (with the ACL's prefix). */
export const FIREWALL_RULES = ['IpReputation', 'CommonRules', 'KnownBadInputs', 'RatePerAddress'] as const;

export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, { stage, apiStage, rateLimit }: ApiFirewallProps) {
    super(scope, id);
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `codex-${stage}-${name}`,
      sampledRequestsEnabled: true,
    });
    const managed = (name: (typeof FIREWALL_RULES)[number], priority: number, group: string, countOnly: string[] = []): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: group,
          ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `codex-${stage}-api`,
      description: `Codex ${stage}: managed rules and a per-address rate limit in front of the API`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      customResponseBodies: {
        tooManyRequests: { contentType: 'APPLICATION_JSON', content: '{"error":"Too many requests"}' },
      },
      rules: [
        managed('IpReputation', 0, 'AWSManagedRulesAmazonIpReputationList'),
        // Counted, not blocked: resellers' panels and payment or provider callbacks are scripts that often send no
        // User-Agent; admin settings (email templates) may exceed the group's 8 KB body limit, and /api/v2 takes
        // its parameters (a long `comments` list) in the query as well as the body, past the 2 KB query limit. The
        // GenericRFI rules block any URL with an IPv4 host, which webhook URLs, provider panel URLs and v2 `add`
        // links may be (no route takes a URL in its path, so GenericRFI_URIPATH still blocks); admin email templates
        // are HTML, which CrossSiteScripting_BODY blocks. The functions bound and validate their requests themselves.
        managed('CommonRules', 1, 'AWSManagedRulesCommonRuleSet', [
          'NoUserAgent_HEADER',
          'SizeRestrictions_BODY',
          'SizeRestrictions_QUERYSTRING',
          'GenericRFI_BODY',
          'GenericRFI_QUERYARGUMENTS',
          'CrossSiteScripting_BODY',
        ]),
        managed('KnownBadInputs', 2, 'AWSManagedRulesKnownBadInputsRuleSet'),
        {
          name: 'RatePerAddress',
          priority: 3,
          // The gateway's own throttled answer, in the same words (lib/codex-api.ts).
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooManyRequests' } } },
          statement: { rateBasedStatement: { limit: rateLimit, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RatePerAddress'),
        },
      ],
    });
    // The stage's ARN refers to the stage (Ref), so the association waits for it.
    new CfnWebACLAssociation(this, 'Association', { resourceArn: apiStage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
