// Every function's bundle, built as CDK deploys it, stays within its ceiling (lib/bundling.ts): a size, so it never flakes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { BUNDLE_CEILING_BYTES, bundleFunction, type FunctionBundle, kb, largestParts } from '../../lib/bundling.js';
import { ensureTable } from '../../local/dynamodb-local.js';

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

  // Powertools Tracer gets the X-Ray SDK's Lambda parts only (lib/bundling.ts); tests/infra/traced-bundle.test.ts
  // shows such a bundle still traces.
  it("carry neither the X-Ray SDK's v2 patcher (and semver) nor cls-hooked", () => {
    for (const [entry, bundle] of bundles) {
      const left = Object.keys(bundle.output.inputs).filter((path) =>
        /node_modules\/(semver|cls-hooked|shimmer)\/|aws-xray-sdk-core\/dist\/lib\/patchers\/aws_p/.test(path),
      );
      expect(left, entry).toEqual([]);
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

describe('The admin permission table', () => {
  // The admin functions hand restHandler their access check (lambdas/rest/admin/admin-access.ts): the customer API's
  // functions, near their ceiling, do not carry the table they never consult (the docs function documents the roles).
  it('is carried by the admin API functions only, and the docs', () => {
    for (const [entry, bundle] of bundles) {
      if (entry === FUNCTIONS.apiDocs.entry) continue;
      const carries = Object.keys(bundle.output.inputs).includes('lambdas/admin/domain/permissions.ts');
      if (entry.startsWith('lambdas/rest/v1/')) expect(carries, entry).toBe(false);
      if (entry.startsWith('lambdas/rest/admin/')) expect(carries, entry).toBe(true);
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
