// Every function's bundle, built as CDK deploys it, stays within its ceiling (lib/bundling.ts): a size, so it never flakes.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { BUNDLE_CEILING_BYTES, bundleFunction, type FunctionBundle, kb, largestParts } from '../../lib/bundling.js';
import { ensureTable } from '../../local/dynamodb-local.js';
import { eventually } from '../support/eventually.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-bundle-size-'));
const bundles = new Map<string, FunctionBundle>();

beforeAll(async () => {
  const entries = [...new Set(Object.values(FUNCTIONS).map((f) => f.entry))];
  await Promise.all(entries.map(async (entry, i) => bundles.set(entry, await bundleFunction(entry, join(workDir, String(i))))));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it.each(Object.keys(FUNCTIONS) as FunctionName[])(`%s stays within ${kb(BUNDLE_CEILING_BYTES)} minified`, (name) => {
    const bundle = bundles.get(FUNCTIONS[name].entry)!;
    const largest = largestParts(bundle)
      .slice(0, 5)
      .map((p) => `${p.name} ${kb(p.bytes)}`)
      .join(', ');
    expect(bundle.bytes, `${name} is ${kb(bundle.bytes)}; largest parts: ${largest}`).toBeLessThanOrEqual(BUNDLE_CEILING_BYTES);
  });

  // `import { z } from 'zod'` hands esbuild a namespace object it cannot shake: every locale (258 KB) comes along.
  it("carry zod's English messages only, not its other locales (import * as z from 'zod')", () => {
    for (const [entry, bundle] of bundles) {
      const locales = Object.keys(bundle.output.inputs).filter((path) => /node_modules\/zod\/.*\/locales\/(?!en\.js$)/.test(path));
      expect(locales, entry).toEqual([]);
    }
  });

  // Classic zod keeps its methods on prototypes, so nothing of it shakes (about 90 KB); contracts use zod/mini.
  it('carry zod/mini, not classic zod, except the docs function (zod-openapi)', () => {
    for (const [entry, bundle] of bundles) {
      if (entry === FUNCTIONS.apiDocs.entry) continue;
      const classic = Object.keys(bundle.output.inputs).filter((path) => /node_modules\/zod\/v4\/classic\//.test(path));
      expect(classic, entry).toEqual([]);
    }
  });
});

describe('The docs function', () => {
  // The contracts every REST v1 function bundles import zod/mini; only the docs function generates the document.
  it('is the only one to carry zod-openapi, and none carries Swagger UI (it is deployed beside the docs bundle)', () => {
    for (const [entry, bundle] of bundles) {
      const inputs = Object.keys(bundle.output.inputs);
      expect(
        inputs.filter((path) => path.includes('node_modules/swagger-ui-dist/')),
        entry,
      ).toEqual([]);
      expect(
        inputs.some((path) => path.includes('node_modules/zod-openapi/')),
        entry,
      ).toBe(entry === FUNCTIONS.apiDocs.entry);
    }
  });
});

describe('A Lambda bundle with the SDK modules it replaces', () => {
  it('signs and sends DynamoDB requests with the credentials Lambda puts in the environment', async () => {
    const endpoint = inject('dynamoEndpoint');
    const table = `bundle-probe-${Date.now()}`;
    await ensureTable(endpoint, table);
    const probe = await bundleFunction('tests/support/bundle-probe.ts', join(workDir, 'probe'));
    expect(Object.keys(probe.output.inputs).some((path) => path.includes('credential-provider-node'))).toBe(false);
    const script = `const { handler } = await import(${JSON.stringify(probe.file)}); console.log(JSON.stringify(await handler({ pk: 'probe-1' })));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        AWS_LAMBDA_FUNCTION_NAME: 'bundle-probe',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'probe',
        AWS_SECRET_ACCESS_KEY: 'probe',
        AWS_SESSION_TOKEN: 'probe-session',
        TABLE_NAME: table,
        DYNAMODB_ENDPOINT: endpoint,
        EVENT_BUS_NAME: 'bus',
        API_KEY_PEPPER_SECRET_ID: 'pepper',
        STAGE: 'test',
      },
    });
    expect(JSON.parse(stdout)).toEqual({ pk: 'probe-1', sk: 'PROBE', entity: 'probe' });
  });
});

describe('A Lambda bundle with the X-Ray SDK parts it carries', () => {
  it("sends the handler's subsegment and each traced AWS call to the X-Ray daemon, in the invocation's trace", async () => {
    const endpoint = inject('dynamoEndpoint');
    const table = `traced-probe-${Date.now()}`;
    await ensureTable(endpoint, table);
    const probe = await bundleFunction('tests/support/traced-probe.ts', join(workDir, 'traced-probe'));
    expect(Object.keys(probe.output.inputs).filter((path) => /node_modules\/(semver|cls-hooked)\//.test(path))).toEqual([]);
    const daemon = createSocket('udp4');
    const documents: Record<string, unknown>[] = [];
    // Each datagram is a header line, then one subsegment (Lambda streams every closed subsegment on its own).
    daemon.on('message', (datagram) => documents.push(JSON.parse(datagram.toString().split('\n')[1]!)));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const traceId = '1-5759e988-bd862e3fe1be46a994272793';
    const context = { functionName: 'probe', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:probe', memoryLimitInMB: '128' };
    const script = `const { handler } = await import(${JSON.stringify(probe.file)}); console.log(JSON.stringify(await handler({ pk: 'probe-1' }, { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 5000 })));`;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH,
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
          AWS_LAMBDA_FUNCTION_NAME: 'probe',
          LAMBDA_TASK_ROOT: dirname(probe.file),
          _HANDLER: 'index.handler',
          _X_AMZN_TRACE_ID: `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`,
          AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as { port: number }).port}`,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'probe',
          AWS_SECRET_ACCESS_KEY: 'probe',
          TABLE_NAME: table,
          DYNAMODB_ENDPOINT: endpoint,
          POWERTOOLS_SERVICE_NAME: 'codex',
        },
      });
      expect(JSON.parse(stdout)).toEqual({ found: false });
      const [handlerSegment, dynamodb] = await eventually(async () => {
        const handlerSegment = documents.find((d) => d.name === '## index.handler');
        const dynamodb = documents.find((d) => d.name === 'DynamoDB');
        return handlerSegment && dynamodb ? [handlerSegment, dynamodb] : undefined;
      });
      expect(handlerSegment).toMatchObject({ trace_id: traceId, parent_id: '53995c3f42cd8ad8', annotations: { Service: 'codex' } });
      expect(dynamodb).toMatchObject({ trace_id: traceId, parent_id: handlerSegment.id, aws: { operation: 'GetItem', table_name: table } });
    } finally {
      daemon.close();
    }
  });
});
