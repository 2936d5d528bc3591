// The business metrics' recorder writes one EMF line per record with exactly that record's dimensions, on top of the
// function's default ones, however many records one container writes.
import { expect, it } from 'vitest';
import { EmfMetricsRecorder, createMetrics } from '../../../lambdas/adapters/cloudwatch/emf-metrics.js';
import { captureOutput, metricsOf } from '../../support/emf.js';

it('gives each record its own dimensions, never the previous record’s', async () => {
  const recorder = new EmfMetricsRecorder(createMetrics('test'));
  const { emf } = await captureOutput(async () => {
    recorder.record('ProviderCalls', 1, { provider: 'alpha', action: 'add' });
    recorder.record('OrdersAccepted', 3, {});
    recorder.record('ProviderCalls', 2, { provider: 'beta', action: 'status' });
  });
  const metrics = metricsOf(emf);
  expect(metrics.map((m) => [m.name, m.value, m.dimensions])).toEqual([
    ['ProviderCalls', 1, expect.objectContaining({ provider: 'alpha', action: 'add', stage: 'test' })],
    ['OrdersAccepted', 3, expect.not.objectContaining({ provider: expect.anything() })],
    ['ProviderCalls', 2, expect.objectContaining({ provider: 'beta', action: 'status', stage: 'test' })],
  ]);
  expect(metrics[1]!.dimensions).not.toHaveProperty('action');
});
