// The public REST API, built from ROUTES and AUTHORIZERS: the SMM panel API v2 for resellers, the REST API v1 of the
// website and cabinet, and the health check.
// Requests to /api/v2 pass a REQUEST authorizer that names the API Gateway key, and so the tier usage plan, they are
// throttled under.
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  ResponseType,
  type Authorizer,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  type CfnAuthorizer,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodOptions,
  RequestAuthorizer,
  type RequestValidator,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  type AuthKind,
  type RequestAuthorizerSpec,
  apiFunctionNames,
  apiMethods,
  FUNCTIONS,
  type FunctionName,
  ROUTES,
  type RouteSpec,
} from '../lambdas/functions.js';
import { gatewayNames, gatewayThrottle, TIER_NAMES, type TierName } from '../lambdas/access/domain/tiers.js';
import { adminSourcePolicy } from './admin-access-policy.js';
import { CodexFunction } from './codex-function.js';
import { acknowledgeSynchronousInvocation, acknowledgeWildcardResource } from './operations/nag.js';
import { stageConfigOf } from './stage-config.js';
import { accessLogFormat } from './operations/access-log-format.js';
import { requiredRequestParameters } from './operations/request-validation.js';

export interface CodexApiProps {
  stage: string;
  table: ITableV2;
  apiKeyPepper: ISecret;
  /** The secrets of provider keys: `cancel` and `refill` are forwarded to the provider from the reseller API. */
  providerSecretsArn: string;
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
  /** ROUTES unless a test says otherwise. */
  routes?: readonly RouteSpec[];
  /** What the REST API v1 needs besides the table (the environment names them to the functions). */
  customers?: CustomerApiResources;
  /** The user pool whose ID tokens the adminCognito routes take (lib/admin-user-pool.ts). */
  adminUserPool?: IUserPool;
  /** The app client whose ID tokens they take (the token's `aud`); any client of the pool when absent. */
  adminClientId?: string;
  /** CIDR ranges that alone may call `/admin/...` (a resource policy, lib/admin-access-policy.ts); any when absent. */
  adminAllowedSources?: readonly string[];
}

export interface CustomerApiResources {
  /** Seeds of the access tokens' signing keys (customerSessions signs, customerAuthorizer verifies). */
  jwtSigningKeys: ISecret;
  /** Seals reseller webhook signing secrets at rest (read by webhooksApi only). */
  webhookSecretKey?: ISecret;
  /** SES identities (the From address and its domain) account emails are sent from. */
  emailIdentityArns: string[];
  /** The demo payment gateway's signing secret, on stages that offer it. */
  demoGatewaySecret?: ISecret;
  /** Cryptomus merchant UUID and payment key, on stages that offer it. */
  cryptomusSecret?: ISecret;
}

export class CodexApi extends Construct {
  readonly api: RestApi;
  /** The routes' handlers and authorizers. */
  readonly functions: ReadonlyMap<FunctionName, CodexFunction>;
  readonly usagePlans: Record<TierName, UsagePlan>;
  /** What making and moving resellers' usage keys needs of API Gateway: attached to assignUsageKeys alone. */
  readonly gatewayKeysPolicy: Policy;
  readonly sharedUsagePlan: UsagePlan;

  constructor(scope: Construct, id: string, props: CodexApiProps) {
    super(scope, id);
    const { stage, table, apiKeyPepper, environment, logRemovalPolicy, throttle = { rateLimit: 200, burstLimit: 400 }, routes = ROUTES } = props;
    const sharedKeyThrottle = props.sharedKeyThrottle ?? throttle;
    const names = gatewayNames(stage);
    this.functions = new Map(
      apiFunctionNames(routes).map((name) => [name, new CodexFunction(this, name, { spec: FUNCTIONS[name], environment, logRemovalPolicy })]),
    );
    const fn = (name: FunctionName): CodexFunction => {
      const created = this.functions.get(name);
      if (!created) throw new Error(`No route or authorizer of the API uses the function ${name}`);
      return created;
    };
    for (const created of this.functions.values()) acknowledgeSynchronousInvocation(created, 'API Gateway (a proxy integration or an authorizer)');
    const resellerApi = fn('resellerApi');
    const apiAuthorizer = fn('apiAuthorizer');
    table.grantReadWriteData(resellerApi);
    apiKeyPepper.grantRead(resellerApi);
    resellerApi.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.providerSecretsArn] }));
    table.grantReadData(apiAuthorizer);
    apiKeyPepper.grantRead(apiAuthorizer);
    this.grantCustomerApi(props);

    this.api = new RestApi(this, 'Api', {
      restApiName: `codex-${stage}`,
      description: 'Codex reseller API',
      endpointTypes: [EndpointType.REGIONAL],
      // Access logging needs the account-wide API Gateway CloudWatch role.
      cloudWatchRole: true,
      // Usage plans count the key the authorizer returns, not one the client sends in X-Api-Key.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      ...(props.adminAllowedSources ? { policy: adminSourcePolicy(props.adminAllowedSources) } : {}),
      deployOptions: {
        stageName: stage,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        // X-Ray by stage; the stage's sampling rule is lib/operations/tracing.ts.
        tracingEnabled: stageConfigOf(this)?.tracing.enabled ?? false,
        accessLogDestination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: logRemovalPolicy }),
        ),
        accessLogFormat: accessLogFormat(),
      },
    });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-wide logging role: the managed policy AWS made for exactly this role",
    });
    // A changed resource policy takes effect with a new deployment only.
    if (props.adminAllowedSources) this.api.latestDeployment?.addToLogicalId({ adminAllowedSources: props.adminAllowedSources });
    const apiStages = [{ api: this.api, stage: this.api.deploymentStage }];
    this.usagePlans = Object.fromEntries(
      TIER_NAMES.map((tier) => [
        tier,
        this.api.addUsagePlan(`${tier}UsagePlan`, {
          name: names.usagePlan(tier),
          description: `Resellers of the ${tier} tier`,
          throttle: gatewayThrottle(tier),
          apiStages,
        }),
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
    Validations.of(sharedKeyValue).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The shared API Gateway key is created with this value at deploy: a rotated secret would no longer match the key',
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
    // API Gateway answers an unknown path or method with 403 "Missing Authentication Token"; say what it is.
    this.api.addGatewayResponse('NotFound', { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', templates: jsonError('"Not found"') });
    // Refusals of a route's caller (the admin routes' Cognito authorizer, the admin resource policy) come from routes
    // documented in the REST error shape; the request authorizers never refuse, so /api/v2 never meets these two.
    const restError = (code: string) => ({ 'application/json': `{"error":{"code":"${code}","message":$context.error.messageString}}` });
    this.api.addGatewayResponse('Unauthorized', {
      type: ResponseType.UNAUTHORIZED,
      statusCode: '401',
      templates: restError('unauthorized'),
      responseHeaders: { 'WWW-Authenticate': "'Bearer'" },
    });
    this.api.addGatewayResponse('AccessDenied', { type: ResponseType.ACCESS_DENIED, statusCode: '403', templates: restError('forbidden') });
    this.api.addGatewayResponse('Default5xx', { type: ResponseType.DEFAULT_5XX, templates: jsonError('"Internal error, please try again later"') });
    // A Lambda authorizer that threw (its store or key lookup throttled past the SDK's retries), could not be invoked
    // (Lambda throttled it) or answered something unreadable: API Gateway's "Authorizer Configuration Error" for all of
    // them. "Try again" with Retry-After, as the handlers answer a busy store; the authorizer's errors and logs tell a
    // bug apart.
    this.api.addGatewayResponse('AuthorizerUnavailable', {
      type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
      statusCode: '503',
      templates: jsonError('"Busy right now: please try again in a moment"'),
      responseHeaders: { 'Retry-After': "'1'" },
    });
    // Only REST v1 and admin methods require parameters (lib/operations/request-validation.ts): their error body.
    this.api.addGatewayResponse('MissingParameters', {
      type: ResponseType.BAD_REQUEST_PARAMETERS,
      statusCode: '400',
      templates: { 'application/json': '{"error":{"code":"invalid_request","message":"$context.error.validationErrorString"}}' },
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The gateway validates required query parameters; bodies only the handlers can judge exactly (zod contracts: trimming, coercion, an empty body as {}), and /api/v2 answers its own HTTP 200 {"error"} (docs/operations.md, "Request validation")',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Access logs record every request with its status, latencies and error type (lib/operations/access-log-format.ts); execution logs would go to a log group API Gateway creates outside the stack, kept forever',
    });
    let parametersValidator: RequestValidator | undefined;
    const requiredParametersValidator = () =>
      (parametersValidator ??= this.api.addRequestValidator('RequiredParameters', {
        requestValidatorName: `codex-${stage}-required-parameters`,
        validateRequestParameters: true,
      }));

    // No identity source and no caching: with an identity source API Gateway answers 401 without calling the
    // function when the header is missing, and a body-key request has no such header. CDK allows an empty list only
    // with caching off, and renders it as an empty string, which is dropped so the property is simply absent.
    const makeAuthorizer = (kind: AuthKind, spec: RequestAuthorizerSpec): Authorizer => {
      const authorizer = new RequestAuthorizer(this, `${kind[0]!.toUpperCase()}${kind.slice(1)}Authorizer`, {
        authorizerName: `codex-${stage}-${spec.name}`,
        handler: fn(spec.function),
        identitySources: [],
        resultsCacheTtl: Duration.seconds(0),
      });
      (authorizer.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
      return authorizer;
    };

    // Each reseller gets its own gateway key in its tier's plan (adapters/apigateway/api-gateway-keys.ts), from the
    // table's stream (lib/usage-keys.ts attaches this to that consumer alone). A policy of its own: a default policy
    // naming the plans would make a route's function depend on the stage, which depends on it through the methods.
    const gatewayArn = (path: string) => `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::${path}`;
    const tierPlanKeys = TIER_NAMES.map((tier) => gatewayArn(`/usageplans/${this.usagePlans[tier].usagePlanId}/keys`));
    const deletedKeys = [gatewayArn('/apikeys/*'), ...tierPlanKeys.map((arn) => `${arn}/*`)];
    this.gatewayKeysPolicy = new Policy(this, 'ResellerGatewayKeys', {
      statements: [
        new PolicyStatement({ actions: ['apigateway:GET'], resources: [gatewayArn('/apikeys'), gatewayArn('/usageplans')] }),
        new PolicyStatement({ actions: ['apigateway:POST'], resources: [gatewayArn('/apikeys'), ...tierPlanKeys] }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: deletedKeys }),
      ],
    });
    for (const arn of deletedKeys) {
      acknowledgeWildcardResource(
        this.gatewayKeysPolicy,
        arn,
        "Resellers' keys and their places in the tier plans, made at run time: their ids are not known in advance",
      );
    }

    const integrations = new Map<FunctionName, LambdaIntegration>();
    const authorizers = new Map<AuthKind, Authorizer>();
    for (const { method, route, authorizer: spec } of apiMethods(routes)) {
      let integration = integrations.get(route.function);
      // One invoke permission per function for the whole API, not one per method: a permission per method (there are
      // over a hundred) would take the stack past CloudFormation's 500 resources. The function serves only what the
      // API routes to it.
      if (!integration) integrations.set(route.function, (integration = new LambdaIntegration(fn(route.function), { scopePermissionToMethod: false })));
      let options: MethodOptions = {};
      if (spec?.type === 'request') {
        let authorizer = authorizers.get(route.auth);
        if (!authorizer) authorizers.set(route.auth, (authorizer = makeAuthorizer(route.auth, spec)));
        options = { authorizer, authorizationType: AuthorizationType.CUSTOM, apiKeyRequired: spec.returnsUsageKey };
      } else if (spec?.type === 'cognito') {
        let authorizer = authorizers.get(route.auth);
        if (!authorizer) {
          if (!props.adminUserPool) throw new Error(`Route ${route.path} takes Cognito tokens: give the API its adminUserPool`);
          // Reads the Authorization header; API Gateway answers 401 itself when it is missing or does not verify.
          authorizer = new CognitoUserPoolsAuthorizer(this, `${route.auth[0]!.toUpperCase()}${route.auth.slice(1)}Authorizer`, {
            authorizerName: `codex-${stage}-${spec.name}`,
            cognitoUserPools: [props.adminUserPool],
          });
          // API Gateway matches a Cognito token's `aud` against this: ID tokens of the admin panel's client only (an
          // access token has no `aud`). CDK has no property for it.
          if (props.adminClientId) {
            (authorizer.node.defaultChild as CfnAuthorizer).addPropertyOverride('IdentityValidationExpression', `^${props.adminClientId}$`);
          }
          authorizers.set(route.auth, authorizer);
        }
        options = { authorizer, authorizationType: AuthorizationType.COGNITO };
      }
      const requestParameters = requiredRequestParameters(method, route.path);
      if (requestParameters) options = { ...options, requestParameters, requestValidator: requiredParametersValidator() };
      const path = route.path.slice(1);
      const added = (path === '' ? this.api.root : this.api.root.resourceForPath(path)).addMethod(method, integration, options);
      if (spec?.type !== 'cognito') {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: spec
            ? `Resellers and customers are not Cognito users: the ${spec.name} Lambda authorizer checks their API keys or access tokens`
            : 'A public route (see below): no caller identity to check',
        });
      }
      if (!spec) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.path} is public by design: it serves public data or checks what the caller proves itself (credentials, a signed callback)`,
        });
      }
    }
  }

  /** Each REST v1 function may read and write what its operations need, and nothing else. */
  private grantCustomerApi({ table, apiKeyPepper, providerSecretsArn, customers }: CodexApiProps): void {
    const each = (names: FunctionName[], grant: (fn: CodexFunction) => void) => {
      for (const name of names) {
        const created = this.functions.get(name);
        if (created) grant(created);
      }
    };
    each(['customerAuthorizer', 'publicApi'], (fn) => table.grantReadData(fn));
    each(['customerSessions', 'customerAccounts', 'cabinetApi', 'apiKeysApi', 'webhooksApi', 'ordersApi', 'orderActionsApi', 'payments'], (fn) =>
      table.grantReadWriteData(fn),
    );
    // Checking a key (the authorizer) and making one (the cabinet) hash it with the pepper.
    each(['customerAuthorizer', 'apiKeysApi'], (fn) => apiKeyPepper.grantRead(fn));
    // Cancel and refill are forwarded to the provider.
    each(['orderActionsApi'], (fn) => fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [providerSecretsArn] })));
    if (!customers) return;
    // Sessions sign access tokens, the authorizer checks them; accounts only send email.
    each(['customerSessions', 'customerAuthorizer'], (fn) => customers.jwtSigningKeys.grantRead(fn));
    each(['webhooksApi'], (fn) => customers.webhookSecretKey?.grantRead(fn));
    each(['customerAccounts'], (fn) => fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: customers.emailIdentityArns })));
    each(['payments'], (fn) => {
      customers.demoGatewaySecret?.grantRead(fn);
      customers.cryptomusSecret?.grantRead(fn);
    });
  }
}
