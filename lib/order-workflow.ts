// The order workflow: the Standard state machine from the ASL file, its Lambda steps, the stream consumer that
// starts one execution per committed order, and the scheduled poller and sweeper that resume and restart them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arn, ArnFormat, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { keys } from '../lambdas/adapters/dynamodb/keys.js';
import { FUNCTIONS, type FunctionName, SCHEDULES, WORKFLOW_DEFINITION_FILE, WORKFLOW_SUBSTITUTIONS } from '../lambdas/functions.js';
import { CodexFunction, REPO_ROOT } from './codex-function.js';
import { acknowledgeDeadLetterQueue, acknowledgeSynchronousInvocation, acknowledgeWildcardResource } from './operations/nag.js';

type WorkflowFunctionName =
  | 'startOrderWorkflow'
  | 'submitOrder'
  | 'giveUpSubmission'
  | 'awaitCompletion'
  | 'finalizeOrder'
  | 'pollProviders'
  | 'sweepOrders'
  | 'settleIdleLeases';

export interface OrderWorkflowProps {
  table: ITableV2;
  bus: IEventBus;
  /** Environment every function gets (table, bus, secrets). */
  environment: Record<string, string>;
  /** ARN pattern of the secrets holding the providers' API keys. */
  providerSecretsArn: string;
  logRemovalPolicy: RemovalPolicy;
  tracing?: boolean;
  /** Where the poller's and the sweeper's runs go when they failed, could not be delivered or were skipped. */
  failedRuns: IQueue;
}

/** A balance lease's listing moved to the closed list by its holder (balance-lease.ts closeLease). */
export const CLOSED_LEASE_FILTER = FilterCriteria.filter({
  eventName: FilterRule.isEqual('MODIFY'),
  dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('lease-listing') }, listPk: { S: FilterRule.isEqual(keys.closedLeases) } } },
});

export class OrderWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<WorkflowFunctionName, CodexFunction>;
  /** Stream records whose order workflow could not be started after every retry (the sweeper starts them later). */
  readonly startFailures: Queue;

  constructor(scope: Construct, id: string, props: OrderWorkflowProps) {
    super(scope, id);
    const { table, environment, providerSecretsArn, logRemovalPolicy } = props;
    // A scheduled function runs once at a time: a slow poll must not overlap the next one.
    const scheduled = new Set<FunctionName>(SCHEDULES.map((schedule) => schedule.function));
    // Their roles stay here: the state machine invokes these functions, so the roles' nested stack (which is passed the
    // state machine's ARN) would otherwise wait for the state machine, which waits for them (lib/function-roles.ts).
    const make = (name: WorkflowFunctionName) =>
      new CodexFunction(this, name, {
        spec: FUNCTIONS[name],
        environment,
        logRemovalPolicy,
        roleBeside: true,
        ...(scheduled.has(name) ? { reservedConcurrency: 1 } : {}),
      });
    const fns: Record<WorkflowFunctionName, CodexFunction> = {
      startOrderWorkflow: make('startOrderWorkflow'),
      submitOrder: make('submitOrder'),
      giveUpSubmission: make('giveUpSubmission'),
      awaitCompletion: make('awaitCompletion'),
      finalizeOrder: make('finalizeOrder'),
      pollProviders: make('pollProviders'),
      sweepOrders: make('sweepOrders'),
      // Not a step of the workflow, but scheduled with its poller and sweeper: the maintenance of order placement.
      settleIdleLeases: make('settleIdleLeases'),
    };
    this.functions = fns;
    const lookup = (name: FunctionName): CodexFunction => {
      if (!(name in fns)) throw new Error(`The order workflow does not create the function ${name}`);
      return fns[name as WorkflowFunctionName];
    };

    // The same file the local runner executes; CDK uploads it as an asset and CloudFormation fills in the ARNs.
    const definitionFile = join(REPO_ROOT, WORKFLOW_DEFINITION_FILE);
    const missing = [...readFileSync(definitionFile, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!).filter((key) => !(key in WORKFLOW_SUBSTITUTIONS));
    if (missing.length > 0) throw new Error(`${WORKFLOW_DEFINITION_FILE} uses placeholders with no function: ${missing.join(', ')}`);
    const steps = Object.entries(WORKFLOW_SUBSTITUTIONS).map(([key, name]) => [key, lookup(name)] as const);

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(definitionFile),
      definitionSubstitutions: Object.fromEntries(steps.map(([key, fn]) => [key, fn.functionArn])),
      logs: {
        destination: new LogGroup(this, 'StateMachineLogs', { removalPolicy: logRemovalPolicy }),
        level: LogLevel.ERROR,
        // Execution data carries task tokens, which let anyone holding them resume an order.
        includeExecutionData: false,
      },
      tracingEnabled: props.tracing ?? false,
    });
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-SF1',
        reason:
          "Errors only, without execution data (it carries task tokens): a Standard workflow keeps every execution's full event history in Step Functions for 90 days",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        // tests/infra/cdk-nag.test.ts checks that these are the only actions any role is granted on every resource.
        reason: "Log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies) and X-Ray's trace writes take no resource ARN; CDK adds exactly these",
      },
    );
    for (const step of new Set(steps.map(([, fn]) => fn)))
      acknowledgeSynchronousInvocation(step, 'the order workflow (a Lambda task that retries and catches)');
    // Unqualified ARNs only: the definition never calls a version or alias.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [...new Set(steps.map(([, fn]) => fn))].map((fn) => fn.functionArn) }),
    );
    const stateMachineArn = this.stateMachine.stateMachineArn;
    // What grantExecution names: every execution of this state machine.
    const executionsArn = `${Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: Arn.split(stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })}:*`;

    for (const name of ['submitOrder', 'giveUpSubmission', 'awaitCompletion', 'finalizeOrder', 'pollProviders'] as const) {
      table.grantReadWriteData(fns[name]);
    }
    table.grantReadData(fns.sweepOrders);
    // Settling a lease writes its wallet (balance, ledger, listing) and the lease itself, nothing else.
    table.grantReadData(fns.settleIdleLeases);
    fns.settleIdleLeases.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WALLET#*', 'LEASE#*'] } },
      }),
    );
    for (const fn of [fns.submitOrder, fns.pollProviders]) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [providerSecretsArn] }));
    }

    for (const fn of [fns.startOrderWorkflow, fns.sweepOrders]) {
      fn.addEnvironment('STATE_MACHINE_ARN', stateMachineArn);
      this.stateMachine.grantStartExecution(fn);
      this.stateMachine.grantExecution(fn, 'states:DescribeExecution', 'states:RedriveExecution');
      acknowledgeWildcardResource(fn.role!, executionsArn, 'Executions of this state machine only: their names are the order ids, not known in advance');
    }
    // The poller resumes orders that end; the sweeper those whose resume was lost.
    for (const fn of [fns.pollProviders, fns.sweepOrders]) this.stateMachine.grant(fn, 'states:SendTaskSuccess');
    // The submit step resumes its own task when the order ended at submission, and parks it otherwise (as the await
    // step does on the rare path). Not in the functions' default policies: each would then depend on the state
    // machine that depends on it.
    new Policy(this, 'AwaitCompletionTaskResponse', {
      roles: [fns.submitOrder.role!, fns.awaitCompletion.role!],
      statements: [new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] })],
    });

    this.startFailures = new Queue(this, 'StartWorkflowFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeDeadLetterQueue(this.startFailures, "the on-failure destination of startOrderWorkflow's stream mapping");
    acknowledgeSynchronousInvocation(fns.startOrderWorkflow, 'its stream mapping (failed batches go to StartWorkflowFailures)');
    fns.startOrderWorkflow.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.startFailures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('order') } } },
          }),
        ],
      }),
    );

    // A lease its holder closed is settled at once by the same function that sweeps every minute (one function: the
    // main stack has no room for another, docs/operations.md); a record that fails every retry goes to the failed runs'
    // queue (the function logged why), and its lease to the next sweep. The sweep's reserved concurrency of 1 holds
    // stream batches back while a sweep runs (they are retried), so settlements never overlap.
    acknowledgeSynchronousInvocation(fns.settleIdleLeases, 'its stream mapping (failed batches go to the failed runs queue)');
    fns.settleIdleLeases.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 3,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(props.failedRuns),
        filters: [CLOSED_LEASE_FILTER],
      }),
    );

    const onFailure = new SqsDestination(props.failedRuns);
    for (const schedule of SCHEDULES) {
      const fn = lookup(schedule.function);
      // A run is worth starting until the next one is due; past that, the next run does the same work.
      const maxEventAge = Duration.minutes(schedule.everyMinutes);
      new Rule(this, `${schedule.function}Schedule`, {
        description: `Runs ${schedule.function} every ${schedule.everyMinutes} minute(s)`,
        schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        // Retries of the delivery to Lambda (throttled or failed Invoke calls).
        targets: [new LambdaFunction(fn, { retryAttempts: 2, maxEventAge, deadLetterQueue: props.failedRuns })],
      });
      // The run itself: Lambda retries a failed run after about a minute, so only a schedule slower than that gets a
      // retry; a run still throttled by the one before it (reserved concurrency 1) when the next is due is skipped.
      fn.configureAsyncInvoke({ retryAttempts: schedule.everyMinutes > 2 ? 1 : 0, maxEventAge, onFailure });
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: 'Its asynchronous runs fail to an on-failure destination (the failed runs queue), which records more than a dead-letter queue would',
      });
    }
  }
}
