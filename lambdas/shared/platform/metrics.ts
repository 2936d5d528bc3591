// The function's metrics: Powertools Metrics for the stage (cold starts, business metrics as EMF), built once per
// container. Tests and the bench may put a recording stand-in in place (usePlatform).
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createMetrics, EmfMetricsRecorder } from '../../adapters/cloudwatch/emf-metrics.js';
import type { MetricsRecorder } from '../observability/metrics-recorder.js';
import { lazy, platform } from '../platform.js';

/** STAGE straight from the environment: reading the whole configuration here would fail functions that need little. */
export const powertoolsMetrics: () => Metrics = /* @__PURE__ */ lazy(() => createMetrics(process.env.STAGE || 'local'));

export const metricsRecorder: () => MetricsRecorder = /* @__PURE__ */ lazy(() => platform().metrics ?? new EmfMetricsRecorder(powertoolsMetrics()));
