// Every alarm of a Codex stage (docs/operations.md, "Alarms"), each telling the operators' topic when it goes to ALARM
// and again when it is OK, each description naming its runbook entry. Thresholds come from the stage config.
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '../../lambdas/functions.js';
import type { CodexFunction } from '../codex-function.js';
import type { AlarmThresholds } from '../stage-config.js';
import { catalogueMetric, catalogueQuery } from './catalogue-metrics.js';
import type { WatchedQueue } from './watched-resources.js';

/** Each alarm's runbook entry: a `###` heading of docs/operations.md. */
export const RUNBOOK = {
  deadLetters: 'Alarm: dead letters',
  workflowExecutions: 'Alarm: order workflow executions failed, timed out or aborted',
  functionErrors: 'Alarm: function errors',
  functionThrottles: 'Alarm: function throttles',
  api5xx: 'Alarm: API 5xx rate',
  apiLatency: 'Alarm: API p99 latency',
  orderOverdue: 'Alarm: open order overdue at a provider',
  providerErrors: 'Alarm: provider error rate',
  webhookFailures: 'Alarm: webhook failure rate',
  pollerSilent: 'Alarm: poller not running',
} as const;

export type RunbookEntry = keyof typeof RUNBOOK;

export interface AlarmsProps {
  stage: string;
  thresholds: AlarmThresholds;
  topic: ITopic;
  api: RestApi;
  stateMachine: IStateMachine;
  functions: [FunctionName, CodexFunction][];
  deadLetterQueues: WatchedQueue[];
}

export class Alarms extends Construct {
  /** Every alarm, by its name in CloudWatch. */
  readonly byName = new Map<string, Alarm>();
  private readonly stage: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { stage, thresholds: t } = props;
    this.stage = stage;
    this.action = new SnsAction(props.topic);
    const fiveMinutes = Duration.minutes(5);
    const fifteenMinutes = Duration.minutes(15);

    for (const { label, queue } of props.deadLetterQueues) {
      this.alarm(`dead-letters-${label.replace(/\//g, '-')}`, 'deadLetters', `${label} holds a message (one not handled after every retry)`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        // SQS stops reporting a queue left idle, messages or not: the state holds until a 0 arrives.
        treatMissingData: TreatMissingData.IGNORE,
      });
    }

    const { stateMachine } = props;
    for (const [outcome, metric] of [
      ['failed', stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' })],
      ['timed-out', stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' })],
      ['aborted', stateMachine.metricAborted({ period: fiveMinutes, statistic: 'Sum' })],
    ] as const) {
      this.alarm(
        `workflow-executions-${outcome}`,
        'workflowExecutions',
        `order workflow executions ${outcome.replace('-', ' ')} (${t.failedExecutions} or more in 5 minutes)`,
        {
          metric,
          threshold: t.failedExecutions,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        },
      );
    }

    for (const [name, fn] of props.functions) {
      this.alarm(`function-errors-${name}`, 'functionErrors', `${name} failed ${t.functionErrors} or more times in 5 minutes`, {
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: t.functionErrors,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      // A function kept to one run at a time (the scheduled ones) is throttled by design when a run is still going;
      // a poll missed for that shows as poller-not-running.
      if (fn.reservedConcurrency !== undefined) continue;
      this.alarm(`function-throttles-${name}`, 'functionThrottles', `${name} was throttled ${t.functionThrottles} or more times in 5 minutes`, {
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: t.functionThrottles,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }

    // 5XXError is 0 or 1 per request: its average is the share of 5xx answers.
    const apiStage = props.api.deploymentStage;
    this.alarm('api-5xx-rate', 'api5xx', `${t.api5xxPercent}% or more of the API's answers were 5xx over 5 minutes`, {
      metric: new MathExpression({
        expression: '100 * errors',
        usingMetrics: { errors: apiStage.metricServerError({ period: fiveMinutes, statistic: 'Average' }) },
        period: fiveMinutes,
        label: '5xx answers (%)',
      }),
      threshold: t.api5xxPercent,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm('api-p99-latency', 'apiLatency', `the API's p99 latency reached ${t.apiP99LatencyMs} ms over 5 minutes`, {
      metric: apiStage.metricLatency({ period: fiveMinutes, statistic: 'p99' }),
      threshold: t.apiP99LatencyMs,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // One series per provider (a contributor of the alarm): providers are data, not stack resources. The sweep writes
    // the metric once every 5 minutes, so a 5-minute period is sometimes empty and the alarm flapped OK while an order
    // stayed overdue; each 10-minute period holds a sweep. Missing data stays not breaching rather than IGNORE (state
    // held): a provider taken out of the catalog writes nothing more, and its alarm must clear.
    this.alarm(
      'open-order-overdue',
      'orderOverdue',
      `a provider's oldest open order is ${t.orderOverdueMinutes} minutes or more past its service's expected time`,
      {
        metric: catalogueQuery('OpenOrderOverdue', 'MAX', stage, { groupBy: 'provider', period: Duration.minutes(10) }),
        threshold: t.orderOverdueMinutes * 60,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      },
    );
    // ProviderCallErrors is recorded for every call, 1 when it failed and 0 when not: its average is the error rate.
    // No minimum of calls as for webhooks: Metrics Insights has no HAVING, and an alarm's math cannot pair two grouped
    // queries' series by provider (docs/operations.md, "Alarm: provider error rate").
    this.alarm('provider-error-rate', 'providerErrors', `${t.providerErrorPercent}% or more of a provider's calls failed over 15 minutes`, {
      metric: catalogueQuery('ProviderCallErrors', 'AVG', stage, { groupBy: 'provider', period: fifteenMinutes }),
      threshold: t.providerErrorPercent / 100,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // Below a minimum of deliveries the share says nothing: one customer's dead endpoint on a quiet stage reads 100%.
    this.alarm(
      'webhook-failure-rate',
      'webhookFailures',
      `${t.webhookFailurePercent}% or more of webhook deliveries failed over 15 minutes (of ${t.webhookMinDeliveries} or more)`,
      {
        metric: new MathExpression({
          expression: `IF(deliveries >= ${t.webhookMinDeliveries}, 100 * failures / deliveries, 0)`,
          usingMetrics: {
            deliveries: catalogueMetric('WebhookDeliveries', stage, { statistic: 'Sum', period: fifteenMinutes }),
            failures: catalogueMetric('WebhookFailures', stage, { statistic: 'Sum', period: fifteenMinutes }),
          },
          period: fifteenMinutes,
          label: 'Failed webhook deliveries (%)',
        }),
        threshold: t.webhookFailurePercent,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      },
    );

    const poller = props.functions.find(([name]) => name === 'pollProviders')?.[1];
    if (!poller) throw new Error('The stack has no pollProviders function to watch');
    // The schedule invokes it every minute; a minute without any invocation is a missed run.
    this.alarm('poller-not-running', 'pollerSilent', `pollProviders was not invoked for ${t.pollerSilentMinutes} minutes`, {
      metric: poller.metricInvocations({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: t.pollerSilentMinutes,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }

  private alarm(
    name: string,
    runbook: RunbookEntry,
    what: string,
    options: { metric: IMetric; threshold: number; treatMissingData: TreatMissingData; comparisonOperator?: ComparisonOperator; evaluationPeriods?: number },
  ): Alarm {
    const alarmName = `codex-${this.stage}-${name}`;
    const alarm = new Alarm(
      this,
      name.replace(/(^|[^A-Za-z0-9]+)(\w)/g, (_, __, c: string) => c.toUpperCase()),
      {
        alarmName,
        alarmDescription: `Codex ${this.stage}: ${what}. Runbook: docs/operations.md, "${RUNBOOK[runbook]}".`,
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        treatMissingData: options.treatMissingData,
      },
    );
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.byName.set(alarmName, alarm);
    return alarm;
  }
}
