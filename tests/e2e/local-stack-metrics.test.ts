// The local stack prints what a Lambda function prints: the same EMF lines (CloudWatch embedded metric format) in
// its output, so metrics can be read locally as CloudWatch would read them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsOf, parseOutput } from '../support/emf.js';
import { eventually } from '../support/eventually.js';
import { type RunningStack, startStackProcess, v2 } from '../support/local-process.js';

let stack: RunningStack;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-emf-'));
  stack = await startStackProcess({ workDir });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the local stack', () => {
  it('prints EMF lines in the Codex namespace, with service and stage dimensions', async () => {
    await v2(stack.demo.v2Url, { key: stack.demo.reseller.apiKey, action: 'services' });

    const metrics = await eventually(async () => {
      const found = metricsOf(parseOutput(stack.output()).emf);
      return found.some((metric) => metric.name === 'ColdStart') ? found : undefined;
    });

    const coldStart = metrics.find((metric) => metric.name === 'ColdStart');
    expect(coldStart).toMatchObject({ namespace: 'Codex', unit: 'Count', value: 1, dimensions: { service: 'codex', stage: 'local' } });
    expect(coldStart?.dimensions.function_name).toEqual(expect.any(String));
    expect(stack.output()).not.toContain('No application metrics to publish');
  });

  it("prints the business metrics of an order's life: accepted, its provider calls, finalized Partial and the refund", async () => {
    const placed = await v2(stack.demo.v2Url, {
      key: stack.demo.reseller.apiKey,
      action: 'add',
      service: 1,
      link: 'https://youtube.com/watch?v=emf&codex-test=partial',
      quantity: 1000,
    });
    expect(placed.body.order).toEqual(expect.any(Number));

    // The demo provider ends a partial order 20 s after it was placed; the poller asks every 3 s.
    const metrics = await eventually(async () => {
      const found = metricsOf(parseOutput(stack.output()).emf);
      return found.some((metric) => metric.name === 'RefundAmount') ? found : undefined;
    }, 60_000);
    const business = (name: string) => metrics.filter((metric) => metric.name === name).map(({ value, dimensions }) => ({ value, dimensions }));
    const published = { service: 'codex', stage: 'local' };

    expect(business('OrdersAccepted')).toEqual([{ value: 1, dimensions: published }]);
    expect(business('ProviderCalls')).toContainEqual({ value: 1, dimensions: { ...published, provider: 'demo', action: 'add' } });
    expect(business('ProviderCalls')).toContainEqual({ value: 1, dimensions: { ...published, provider: 'demo', action: 'status' } });
    expect(business('OrdersFinalized')).toEqual([{ value: 1, dimensions: { ...published, status: 'Partial' } }]);
    // 300 of 1,000 undelivered at 0.90 per 1,000.
    expect(business('RefundAmount')).toEqual([{ value: 0.27, dimensions: published }]);
  });
});
