// The stage's CloudWatch dashboard, `codex-<stage>`: traffic, latency, errors, orders by status, refunds, provider
// health, queues and dead letters, webhook success and money in, read from the same catalogue as the alarms.
import { Aws, Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AlarmStatusWidget,
  Dashboard as CloudWatchDashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '../../lambdas/functions.js';
import type { CodexFunction } from '../codex-function.js';
import { FIREWALL_RULES } from './api-firewall.js';
import { catalogueMetric, catalogueQuery } from './catalogue-metrics.js';
import type { WatchedQueue } from './watched-resources.js';

export interface DashboardProps {
  stage: string;
  api: RestApi;
  stateMachine: IStateMachine;
  functions: [FunctionName, CodexFunction][];
  deadLetterQueues: WatchedQueue[];
  workQueues: WatchedQueue[];
  alarms: IAlarm[];
  /** The stage has the web ACL of lib/operations/api-firewall.ts. */
  waf: boolean;
}

export class Dashboard extends Construct {
  readonly dashboard: CloudWatchDashboard;
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { stage, api, stateMachine, functions } = props;
    const period = Duration.minutes(5);
    const apiStage = api.deploymentStage;
    const sum = { statistic: 'Sum', period };
    const graph = (title: string, left: IMetric[], options: { right?: IMetric[]; width?: number; stacked?: boolean } = {}) =>
      new GraphWidget({
        title,
        left,
        ...(options.right ? { right: options.right } : {}),
        width: options.width ?? 8,
        height: 6,
        stacked: options.stacked ?? false,
      });
    const byFunction = (metric: (fn: CodexFunction) => Metric) => functions.map(([name, fn]) => metric(fn).with({ label: name }));

    this.dashboardName = `codex-${stage}`;
    this.dashboard = new CloudWatchDashboard(this, 'Dashboard', {
      dashboardName: this.dashboardName,
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Codex ${stage}\nAlarms and what to do about each: docs/operations.md, "Alarms". Money in the stage currency.`,
        width: 24,
        height: 2,
      }),
    );
    // An alarm status widget shows at most 100 alarms.
    for (let i = 0; i < props.alarms.length; i += 100) {
      this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms.slice(i, i + 100), width: 24, height: 6 }));
    }
    this.dashboard.addWidgets(
      graph('Traffic: API requests, orders accepted', [apiStage.metricCount({ ...sum, label: 'API requests' })], {
        right: [catalogueMetric('OrdersAccepted', stage, { ...sum, label: 'Orders accepted' })],
      }),
      graph('Latency: API (ms)', [
        apiStage.metricLatency({ statistic: 'p50', period, label: 'p50' }),
        apiStage.metricLatency({ statistic: 'p99', period, label: 'p99' }),
        apiStage.metricIntegrationLatency({ statistic: 'p99', period, label: 'integration p99' }),
      ]),
      graph('Errors: API answers (%)', [
        new MathExpression({
          expression: '100 * e4',
          usingMetrics: { e4: apiStage.metricClientError({ statistic: 'Average', period }) },
          label: '4xx %',
          period,
        }),
        new MathExpression({
          expression: '100 * e5',
          usingMetrics: { e5: apiStage.metricServerError({ statistic: 'Average', period }) },
          label: '5xx %',
          period,
        }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Errors: by function',
        byFunction((fn) => fn.metricErrors(sum)),
        { width: 12 },
      ),
      graph(
        'Throttles: by function',
        byFunction((fn) => fn.metricThrottles(sum)),
        { width: 12 },
      ),
    );
    this.dashboard.addWidgets(
      graph('Orders finalized, by status', [catalogueQuery('OrdersFinalized', 'SUM', stage, { groupBy: 'status', period })], { stacked: true }),
      graph('Orders refused, by reason', [catalogueQuery('OrdersRefused', 'SUM', stage, { groupBy: 'reason', period })], { stacked: true }),
      graph('Order workflow executions', [
        stateMachine.metricStarted({ ...sum, label: 'started' }),
        stateMachine.metricSucceeded({ ...sum, label: 'succeeded' }),
        stateMachine.metricFailed({ ...sum, label: 'failed' }),
        stateMachine.metricTimedOut({ ...sum, label: 'timed out' }),
        stateMachine.metricAborted({ ...sum, label: 'aborted' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Provider calls, by provider; failed share of all calls (%)', [catalogueQuery('ProviderCalls', 'SUM', stage, { groupBy: 'provider', period })], {
        right: [
          new MathExpression({
            expression: 'IF(calls > 0, 100 * failed / calls, 0)',
            usingMetrics: {
              calls: catalogueQuery('ProviderCalls', 'SUM', stage, { period }),
              failed: catalogueQuery('ProviderCallErrors', 'SUM', stage, { period }),
            },
            label: 'failed % (all providers)',
            period,
          }),
        ],
        width: 6,
      }),
      graph('Provider call errors, by provider', [catalogueQuery('ProviderCallErrors', 'SUM', stage, { groupBy: 'provider', period })], { width: 6 }),
      graph(
        'Provider call latency by provider (ms): average, and the slowest call',
        [catalogueQuery('ProviderCallLatency', 'AVG', stage, { groupBy: 'provider', period })],
        { right: [catalogueQuery('ProviderCallLatency', 'MAX', stage, { groupBy: 'provider', period })], width: 6 },
      ),
      graph('Oldest open order past its expected time, by provider (s)', [catalogueQuery('OpenOrderOverdue', 'MAX', stage, { groupBy: 'provider', period })], {
        width: 6,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Refunds and money in (stage currency)',
        [catalogueMetric('RefundAmount', stage, { ...sum, label: 'Refunded' }), catalogueMetric('TopUpAmount', stage, { ...sum, label: 'Money in (top-ups)' })],
        { right: [catalogueMetric('TopUpsCredited', stage, { ...sum, label: 'Top-ups credited' })] },
      ),
      graph(
        'Webhook deliveries',
        [catalogueMetric('WebhookDeliveries', stage, { ...sum, label: 'attempts' }), catalogueMetric('WebhookFailures', stage, { ...sum, label: 'failed' })],
        {
          right: [
            new MathExpression({
              expression: 'IF(d > 0, 100 * (d - f) / d, 100)',
              usingMetrics: {
                d: catalogueMetric('WebhookDeliveries', stage, sum),
                f: catalogueMetric('WebhookFailures', stage, sum),
              },
              label: 'success %',
              period,
            }),
          ],
        },
      ),
      graph('Sign-in failures and API key blocks', [
        catalogueMetric('LoginFailures', stage, { ...sum, label: 'failed sign-ins' }),
        catalogueMetric('ApiKeyBlocks', stage, { ...sum, label: 'API key blocks' }),
      ]),
    );
    if (props.waf) {
      // The web ACL's and its rules' metric names, as lib/operations/api-firewall.ts gives them.
      const waf = (metricName: string, rule: string, label: string) =>
        new Metric({ namespace: 'AWS/WAFV2', metricName, dimensionsMap: { WebACL: `codex-${stage}-api`, Rule: rule, Region: Aws.REGION }, ...sum, label });
      this.dashboard.addWidgets(
        graph('WAF: requests allowed and blocked', [waf('AllowedRequests', 'ALL', 'allowed'), waf('BlockedRequests', 'ALL', 'blocked')], { width: 12 }),
        graph(
          'WAF: blocked or counted, by rule',
          FIREWALL_RULES.flatMap((rule) => [
            waf('BlockedRequests', `codex-${stage}-${rule}`, `${rule} blocked`),
            waf('CountedRequests', `codex-${stage}-${rule}`, `${rule} counted`),
          ]),
          { width: 12 },
        ),
      );
    }
    const visible = (queues: WatchedQueue[]) =>
      queues.map(({ label, queue }) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label }));
    this.dashboard.addWidgets(
      graph('Queues: messages waiting', visible(props.workQueues), { width: 12 }),
      graph('Dead-letter queues: messages (any is an alarm)', visible(props.deadLetterQueues), { width: 12 }),
    );
  }
}
