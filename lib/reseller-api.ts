// The public REST API: the SMM panel API v2 for resellers and the health check, routed from ROUTES. Requests to
// /api/v2 pass a REQUEST authorizer that names the API Gateway key, and so the tier usage plan, they are throttled under.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  ResponseType,
  AccessLogFormat,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  type CfnAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodOptions,
  RequestAuthorizer,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName, ROUTES } from '../lambdas/functions.js';
import { gatewayNames, gatewayThrottle, TIER_NAMES, type TierName } from '../lambdas/access/domain/tiers.js';
import { CodexFunction } from './codex-function.js';

type ApiFunctionName = 'resellerApi' | 'apiAuthorizer' | 'health';

/** Routes served by these functions go through the authorizer and are throttled per reseller. */
const THROTTLED_PER_CALLER: ReadonlySet<FunctionName> = new Set(['resellerApi']);

export interface ResellerApiProps {
  stage: string;
  table: ITableV2;
  apiKeyPepper: ISecret;
  /** Environment every function gets (table, bus, secrets, stage). */
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  /** Limits of the whole stage. */
  throttle?: { rateLimit: number; burstLimit: number };
  /**
   * Limits of the shared key, which all body-key requests (and unknown header keys) are counted under together;
   * by default those of the stage, so the gateway does not let one busy body-key reseller starve the others.
   */
  sharedKeyThrottle?: { rateLimit: number; burstLimit: number };
}

export class ResellerApi extends Construct {
  readonly api: RestApi;
  readonly functions: Record<ApiFunctionName, CodexFunction>;
  readonly usagePlans: Record<TierName, UsagePlan>;
  readonly sharedUsagePlan: UsagePlan;

  constructor(scope: Construct, id: string, props: ResellerApiProps) {
    super(scope, id);
    const { stage, table, apiKeyPepper, environment, logRemovalPolicy, throttle = { rateLimit: 200, burstLimit: 400 } } = props;
    const sharedKeyThrottle = props.sharedKeyThrottle ?? throttle;
    const names = gatewayNames(stage);
    const make = (name: ApiFunctionName) => new CodexFunction(this, name, { spec: FUNCTIONS[name], environment, logRemovalPolicy });
    this.functions = { resellerApi: make('resellerApi'), apiAuthorizer: make('apiAuthorizer'), health: make('health') };
    const { resellerApi, apiAuthorizer } = this.functions;
    table.grantReadWriteData(resellerApi);
    apiKeyPepper.grantRead(resellerApi);
    table.grantReadData(apiAuthorizer);
    apiKeyPepper.grantRead(apiAuthorizer);

    this.api = new RestApi(this, 'Api', {
      restApiName: `codex-${stage}`,
      description: 'Codex reseller API',
      endpointTypes: [EndpointType.REGIONAL],
      // Access logging needs the account-wide API Gateway CloudWatch role.
      cloudWatchRole: true,
      // Usage plans count the key the authorizer returns, not one the client sends in X-Api-Key.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      deployOptions: {
        stageName: stage,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: logRemovalPolicy })),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });

    const apiStages = [{ api: this.api, stage: this.api.deploymentStage }];
    this.usagePlans = Object.fromEntries(
      TIER_NAMES.map((tier) => [
        tier,
        this.api.addUsagePlan(`${tier}UsagePlan`, { name: names.usagePlan(tier), description: `Resellers of the ${tier} tier`, throttle: gatewayThrottle(tier), apiStages }),
      ]),
    ) as Record<TierName, UsagePlan>;

    // The shared key: the authorizer needs its value (it returns values, not ids), so the value is generated as a
    // secret and the key created from it.
    const sharedKeyValue = new Secret(this, 'SharedKeyValue', {
      secretName: names.sharedKeySecret,
      description: 'Value of the shared API Gateway key, the usage identity of requests without a reseller gateway key',
      generateSecretString: { passwordLength: 40, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    sharedKeyValue.grantRead(apiAuthorizer);
    const sharedKey = new ApiKey(this, 'SharedKey', {
      apiKeyName: names.sharedKey,
      description: 'Body-key requests, unknown header keys and resellers without a key of their own; limited by the application',
      value: sharedKeyValue.secretValue.unsafeUnwrap(),
    });
    this.sharedUsagePlan = this.api.addUsagePlan('SharedUsagePlan', {
      name: names.sharedUsagePlan,
      description: 'The shared key: requests the application throttles per reseller',
      throttle: sharedKeyThrottle,
      apiStages,
    });
    this.sharedUsagePlan.addApiKey(sharedKey);

    // What the gateway answers itself speaks the protocol too: JSON {"error": ...}, never its default shapes.
    const jsonError = (message: string) => ({ 'application/json': `{"error":${message}}` });
    this.api.addGatewayResponse('Throttled', { type: ResponseType.THROTTLED, statusCode: '429', templates: jsonError('"Too many requests"') });
    this.api.addGatewayResponse('QuotaExceeded', { type: ResponseType.QUOTA_EXCEEDED, statusCode: '429', templates: jsonError('"Too many requests"') });
    this.api.addGatewayResponse('Default4xx', { type: ResponseType.DEFAULT_4XX, templates: jsonError('$context.error.messageString') });
    this.api.addGatewayResponse('Default5xx', { type: ResponseType.DEFAULT_5XX, templates: jsonError('"Internal error, please try again later"') });

    // No identity source and no caching: with an identity source API Gateway answers 401 without calling the
    // function when the header is missing, and a body-key request has no such header. CDK allows an empty list only
    // with caching off, and renders it as an empty string, which is dropped so the property is simply absent.
    const authorizer = new RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      authorizerName: `codex-${stage}-usage-key`,
      handler: apiAuthorizer,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    (authorizer.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
    const perCaller: MethodOptions = { authorizer, authorizationType: AuthorizationType.CUSTOM, apiKeyRequired: true };

    // Onboarding gives each reseller its own gateway key in its tier's plan (adapters/apigateway/api-gateway-keys.ts).
    // A policy of its own: the function's default policy naming the plans would make the function depend on the
    // stage, which depends on the function through the methods.
    const gatewayArn = (path: string) => `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::${path}`;
    const tierPlanKeys = TIER_NAMES.map((tier) => gatewayArn(`/usageplans/${this.usagePlans[tier].usagePlanId}/keys`));
    new Policy(this, 'ResellerGatewayKeys', {
      roles: [resellerApi.role!],
      statements: [
        new PolicyStatement({ actions: ['apigateway:GET'], resources: [gatewayArn('/apikeys'), gatewayArn('/usageplans')] }),
        new PolicyStatement({ actions: ['apigateway:POST'], resources: [gatewayArn('/apikeys'), ...tierPlanKeys] }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [gatewayArn('/apikeys/*'), ...tierPlanKeys.map((arn) => `${arn}/*`)] }),
      ],
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
        resource.addMethod(method, integrationFor(route.function), THROTTLED_PER_CALLER.has(route.function) ? perCaller : {});
      }
    }
  }
}
