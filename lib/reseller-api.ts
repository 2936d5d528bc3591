// The public REST API: the SMM panel API v2 for resellers and the health check, routed from ROUTES.
import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKeySourceType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName, ROUTES } from '../lambdas/functions.js';
import { CodexFunction } from './codex-function.js';

type ApiFunctionName = 'resellerApi' | 'health';

export interface ResellerApiProps {
  stage: string;
  table: ITableV2;
  apiKeyPepper: ISecret;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  /** Limits of the whole stage. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** Limits of one caller in the default usage plan. */
  callerThrottle?: { rateLimit: number; burstLimit: number };
}

export class ResellerApi extends Construct {
  readonly api: RestApi;
  readonly functions: Record<ApiFunctionName, CodexFunction>;

  constructor(scope: Construct, id: string, props: ResellerApiProps) {
    super(scope, id);
    const { stage, table, apiKeyPepper, environment, logRemovalPolicy, throttle = { rateLimit: 200, burstLimit: 400 }, callerThrottle = { rateLimit: 50, burstLimit: 100 } } = props;
    const make = (name: ApiFunctionName) => new CodexFunction(this, name, { spec: FUNCTIONS[name], environment, logRemovalPolicy });
    this.functions = { resellerApi: make('resellerApi'), health: make('health') };
    table.grantReadWriteData(this.functions.resellerApi);
    apiKeyPepper.grantRead(this.functions.resellerApi);

    this.api = new RestApi(this, 'Api', {
      restApiName: `codex-${stage}`,
      description: 'Codex reseller API',
      endpointTypes: [EndpointType.REGIONAL],
      // Access logging needs the account-wide API Gateway CloudWatch role.
      cloudWatchRole: true,
      apiKeySourceType: ApiKeySourceType.HEADER,
      deployOptions: {
        stageName: stage,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: logRemovalPolicy })),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    // Applies only to methods that require an API key; it is here for the authorizer that will supply one.
    this.api.addUsagePlan('DefaultUsagePlan', {
      name: `codex-${stage}-default`,
      throttle: callerThrottle,
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });

    const integrations = new Map<FunctionName, LambdaIntegration>();
    const integrationFor = (name: FunctionName): LambdaIntegration => {
      if (!(name in this.functions)) throw new Error(`The reseller API does not create the function ${name}`);
      let integration = integrations.get(name);
      if (!integration) {
        integration = new LambdaIntegration(this.functions[name as ApiFunctionName], { allowTestInvoke: false });
        integrations.set(name, integration);
      }
      return integration;
    };
    // API Gateway REST serves `/x/` from the resource `/x`, so a path that differs only by a trailing slash
    // is the same resource and its methods are added once.
    const added = new Set<string>();
    for (const route of ROUTES) {
      const path = route.path.replace(/^\/+|\/+$/g, '');
      const resource = path === '' ? this.api.root : this.api.root.resourceForPath(path);
      for (const method of route.methods) {
        if (added.has(`${method} ${path}`)) continue;
        added.add(`${method} ${path}`);
        resource.addMethod(method, integrationFor(route.function));
      }
    }
  }
}
