// Every function's bundle, built as CDK deploys it, stays within issue 8's 300 KB: a size, so it never flakes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { BUNDLE_TARGET_BYTES, bundleFunction, type FunctionBundle, kb, largestParts } from '../../lib/bundling.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-bundle-size-'));
const bundles = new Map<string, FunctionBundle>();

beforeAll(async () => {
  const entries = [...new Set(Object.values(FUNCTIONS).map((f) => f.entry))];
  await Promise.all(entries.map(async (entry, i) => bundles.set(entry, await bundleFunction(entry, join(workDir, String(i))))));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it.each(Object.keys(FUNCTIONS) as FunctionName[])(`%s stays within ${kb(BUNDLE_TARGET_BYTES)} minified`, (name) => {
    const bundle = bundles.get(FUNCTIONS[name].entry)!;
    const largest = largestParts(bundle).slice(0, 5).map((p) => `${p.name} ${kb(p.bytes)}`).join(', ');
    expect(bundle.bytes, `${name} is ${kb(bundle.bytes)}; largest parts: ${largest}`).toBeLessThanOrEqual(BUNDLE_TARGET_BYTES);
  });

  // `import { z } from 'zod'` hands esbuild a namespace object it cannot shake: every locale (258 KB) comes along.
  it("carry zod's English messages only, not its other locales (import * as z from 'zod')", () => {
    for (const [entry, bundle] of bundles) {
      const locales = Object.keys(bundle.output.inputs).filter((path) => /node_modules\/zod\/.*\/locales\/(?!en\.js$)/.test(path));
      expect(locales, entry).toEqual([]);
    }
  });
});
