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
});
