// The one way Codex builds a Lambda function: Node 24 (the newest LTS Lambda runs) on arm64, ESM bundled by esbuild with the AWS SDK inside.
import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../lambdas/functions.js';
import { assetCopyHooks, FUNCTION_BUNDLING, REPO_ROOT } from './bundling.js';
import { FunctionRoles } from './function-roles.js';
import { stageConfigOf } from './stage-config.js';

export { REPO_ROOT };

export interface CodexFunctionProps {
  spec: FunctionSpec;
  environment?: Record<string, string>;
  /** Whether the function's log group outlives the stack. */
  logRemovalPolicy?: RemovalPolicy;
  /** Runs at most this many at once (reserved concurrency): 1 for the scheduled functions, whose runs must not overlap. */
  reservedConcurrency?: number;
  /**
   * Keep the role in the function's own stack even when it has a nested stack of roles (lib/function-roles.ts): for the
   * functions the state machine invokes, whose roles there would make a dependency cycle through it.
   */
  roleBeside?: boolean;
}

export class CodexFunction extends NodejsFunction {
  /** Its reserved concurrency, when it has one: throttles are then its design, not an alarm (lib/operations/alarms.ts). */
  readonly reservedConcurrency: number | undefined;

  constructor(
    scope: Construct,
    id: string,
    { spec, environment = {}, logRemovalPolicy = RemovalPolicy.RETAIN, reservedConcurrency, roleBeside = false }: CodexFunctionProps,
  ) {
    // Retention by stage: lib/operations/retention.ts sets every log group's.
    const logGroup = new LogGroup(scope, `${id}Logs`, { removalPolicy: logRemovalPolicy });
    const tracing = stageConfigOf(scope)?.tracing.enabled;
    // Instead of AWSLambdaBasicExecutionRole (logs of any group): the function writes to its own log group only.
    const roles = roleBeside ? undefined : FunctionRoles.find(scope);
    const role = new Role(roles ?? scope, roles ? FunctionRoles.roleId(scope, id) : `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Logs: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
        }),
      },
    });
    super(scope, id, {
      entry: join(REPO_ROOT, spec.entry),
      handler: spec.handler,
      description: spec.description,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      logGroup,
      role,
      ...(reservedConcurrency !== undefined ? { reservedConcurrentExecutions: reservedConcurrency } : {}),
      ...(tracing ? { tracing: Tracing.ACTIVE } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'codex',
        // Without active tracing the Tracer would only build segments nobody sends.
        ...(tracing === false ? { POWERTOOLS_TRACE_ENABLED: 'false' } : {}),
        ...environment,
      },
      bundling: {
        ...FUNCTION_BUNDLING,
        format: OutputFormat.ESM,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        ...functionBundlingExtras(spec),
      },
    });
    this.reservedConcurrency = reservedConcurrency;
    if (tracing) {
      // tests/infra/cdk-nag.test.ts checks that X-Ray's are the only actions any role is granted on every resource.
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "X-Ray's PutTraceSegments and PutTelemetryRecords, which active tracing adds, take no resource ARN",
      });
    }
  }
}

/** What a function's bundling adds to the shared options: the copy of the files it reads at run time. */
export function functionBundlingExtras(spec: FunctionSpec): { commandHooks?: NonNullable<ReturnType<typeof assetCopyHooks>> } {
  const commandHooks = assetCopyHooks(spec.assets);
  return commandHooks ? { commandHooks } : {};
}
