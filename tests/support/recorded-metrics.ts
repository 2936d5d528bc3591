// A MetricsRecorder that keeps what it is given, so a test can say which business metrics a use case recorded.
import type { MetricName } from '../../lambdas/shared/observability/metric-catalogue.js';
import type { MetricsRecorder } from '../../lambdas/shared/observability/metrics-recorder.js';

export interface RecordedMetric {
  name: MetricName;
  value: number;
  dimensions: Record<string, string>;
}

export class RecordedMetrics implements MetricsRecorder {
  readonly records: RecordedMetric[] = [];

  record(name: MetricName, value: number, dimensions: object): void {
    this.records.push({ name, value, dimensions: { ...(dimensions as Record<string, string>) } });
  }

  /** The records of one metric, optionally only those with these dimension values. */
  of(name: MetricName, dimensions: Record<string, string> = {}): RecordedMetric[] {
    return this.records.filter((r) => r.name === name && Object.entries(dimensions).every(([key, value]) => r.dimensions[key] === value));
  }

  /** The sum of the values recorded for the metric (and dimension values). */
  sum(name: MetricName, dimensions: Record<string, string> = {}): number {
    return this.of(name, dimensions).reduce((total, r) => total + r.value, 0);
  }

  /** Metric names in the order recorded, for a test of a sequence. */
  names(): MetricName[] {
    return this.records.map((r) => r.name);
  }

  clear(): void {
    this.records.length = 0;
  }
}
