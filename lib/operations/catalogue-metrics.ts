// The catalogue's metrics (lambdas/shared/observability/metric-catalogue.ts) as CloudWatch sees them: namespace Codex,
// dimensions service, stage and the metric's own, exactly. A metric with an open-ended dimension (provider, status,
// reason) is read with a Metrics Insights query over that exact dimension set, grouped by it.
import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS, type MetricName, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/shared/observability/metric-catalogue.js';

export type InsightsFunction = 'SUM' | 'MAX' | 'AVG' | 'MIN' | 'COUNT';

/** A catalogue metric with no dimension of its own, for one stage. */
export function catalogueMetric(name: MetricName, stage: string, options: { statistic: string; period?: Duration; label?: string }): Metric {
  const own = METRICS[name].dimensions;
  if (own.length > 0) throw new Error(`${name} has the dimensions ${own.join(', ')}: read it with catalogueQuery`);
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, stage },
    statistic: options.statistic,
    period: options.period ?? Duration.minutes(5),
    ...(options.label ? { label: options.label } : {}),
  });
}

/** The Metrics Insights query of a catalogue metric for one stage, over its exact dimension set; one series per `groupBy` value. */
export function catalogueQueryText(name: MetricName, fn: InsightsFunction, stage: string, groupBy?: string): string {
  const own: readonly string[] = METRICS[name].dimensions;
  if (groupBy !== undefined && !own.includes(groupBy)) throw new Error(`${name} has no dimension ${groupBy}`);
  if (!/^[a-z0-9-]+$/.test(stage)) throw new Error(`Stage ${JSON.stringify(stage)} cannot be quoted in a query`);
  const schema = [METRICS_NAMESPACE, ...own, 'service', 'stage'].join(', ');
  const grouped = groupBy ? ` GROUP BY ${groupBy} ORDER BY ${fn}() DESC` : '';
  return `SELECT ${fn}(${name}) FROM SCHEMA(${schema}) WHERE service = '${SERVICE_NAME}' AND stage = '${stage}'${grouped}`;
}

export function catalogueQuery(
  name: MetricName,
  fn: InsightsFunction,
  stage: string,
  options: { groupBy?: string; period?: Duration; label?: string } = {},
): MathExpression {
  return new MathExpression({
    expression: catalogueQueryText(name, fn, stage, options.groupBy),
    period: options.period ?? Duration.minutes(5),
    ...(options.label ? { label: options.label } : {}),
  });
}
