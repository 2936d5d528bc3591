// X-Ray sampling of a stage (StageConfig.tracing): HTTP requests' traces begin at the API stage, which samples by this
// rule; the functions, the state machine and the AWS calls they make follow the decision carried in the trace header.
// Entry points without an upstream decision (streams, queues, schedules) are sampled by Lambda itself (the first
// request each second and 5% of the rest), which a rule cannot change.
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';

export interface ApiTraceSamplingProps {
  api: RestApi;
  config: Pick<StageConfig, 'stage' | 'tracing'>;
}

export class ApiTraceSampling extends Construct {
  readonly rule: CfnSamplingRule;

  constructor(scope: Construct, id: string, { api, config }: ApiTraceSamplingProps) {
    super(scope, id);
    const ruleName = `codex-${config.stage}-api`;
    this.rule = new CfnSamplingRule(this, 'Rule', {
      samplingRule: {
        ruleName,
        // Before X-Ray's default rule (10000), after any an operator adds by hand for a closer look.
        priority: 1000,
        // No per-second reservoir: the stage's share is the share, however quiet the API.
        reservoirSize: 0,
        fixedRate: config.tracing.sampleRate,
        // API Gateway names a stage's segments `<API name>/<stage>`; CodexApi names its stage after the Codex stage.
        serviceName: `${api.restApiName}/${config.stage}`,
        serviceType: 'AWS::ApiGateway::Stage',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
  }
}
