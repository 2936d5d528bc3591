// The port through which application code records business metrics (metric-catalogue.ts); EMF through Powertools
// Metrics on AWS and locally (lambdas/adapters/cloudwatch/emf-metrics.ts), a recording stand-in in tests.
import type { MetricDimensions, MetricName } from './metric-catalogue.js';

export interface MetricsRecorder {
  /** Records one value of a metric with its dimensions; never throws (a lost metric must not fail an order). */
  record<N extends MetricName>(name: N, value: number, dimensions: MetricDimensions<N>): void;
}
