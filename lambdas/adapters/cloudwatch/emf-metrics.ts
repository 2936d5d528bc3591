// Business metrics as CloudWatch EMF lines (stdout; CloudWatch Logs turns them into metrics), through Powertools
// Metrics. Each record is its own EMF line (a single metric) because metrics of one invocation have different
// dimensions, and Powertools shares one dimension set among the metrics it buffers.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS, type MetricDimensions, type MetricName, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/observability/metric-catalogue.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import { logger } from '../../shared/logger.js';

/** The function's Powertools Metrics: cold starts (the handler middleware) and the business metrics below. */
export function createMetrics(stage: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { stage }, logger: metricsLogger });
}

/**
 * Powertools' own warnings, as structured log lines, except "No application metrics to publish": each record here is
 * a single metric written at once, so the buffer the handler middleware flushes after each invocation stays empty.
 */
const metricsLogger = {
  debug: (...content: unknown[]) => logger.debug(content.map(String).join(' ')),
  info: (...content: unknown[]) => logger.info(content.map(String).join(' ')),
  warn: (...content: unknown[]) => {
    const message = content.map(String).join(' ');
    if (!message.startsWith('No application metrics to publish')) logger.warn(message);
  },
  error: (...content: unknown[]) => logger.error(content.map(String).join(' ')),
};

export class EmfMetricsRecorder implements MetricsRecorder {
  /**
   * One single-metric instance for every record: each addMetric writes its line and clears the record's dimensions
   * (the defaults stay), and a record runs synchronously, so records cannot mix. A new instance per record built a
   * Console and read the environment each time, most of a record's cost.
   */
  private single: Metrics | undefined;

  constructor(private readonly metrics: Metrics) {}

  record<N extends MetricName>(name: N, value: number, dimensions: MetricDimensions<N>): void {
    try {
      this.single ??= this.metrics.singleMetric();
      const single = this.single;
      for (const dimension of METRICS[name].dimensions) {
        // Dimension values are short names (provider ids, error codes, statuses); empty ones are invalid in EMF.
        single.addDimension(dimension, String((dimensions as Record<string, string>)[dimension] || 'unknown').slice(0, 250));
      }
      single.addMetric(name, METRICS[name].unit, value);
    } catch {
      // A metric is never worth a failed request; its dimensions must not reach the next record.
      this.single?.clearDimensions();
    }
  }
}
